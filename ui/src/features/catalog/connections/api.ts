/**
 * One uniform API per connection kind, every call typed by the generated schema.
 * Per-service kinds take the service name; the global kinds take none.
 */
import { api, unwrap } from '../../../api/client'
import type {
  Datasource,
  DatasourceCreate,
  DatasourcePatch,
  DebugEndpoint,
  DebugEndpointCreate,
  DebugEndpointPatch,
  JobBackend,
  JobBackendCreate,
  JobBackendPatch,
  KafkaCluster,
  KafkaClusterCreate,
  KafkaClusterPatch,
  NotificationChannel,
  NotificationChannelCreate,
  NotificationChannelPatch,
  Page,
  RedisCreate,
  RedisInstance,
  RedisPatch,
  TestResult,
} from '../../../api/types'

export interface PageQuery {
  limit: number
  offset: number
}

export interface ConnectionApi<R, C, P> {
  list(page: PageQuery): Promise<Page<R>>
  create(body: C): Promise<R>
  update(id: number, body: P): Promise<R>
  remove(id: number): Promise<void>
  /** Tests the saved connection, with unsaved changes (a PATCH body) applied when given. */
  test(id: number, changes?: P): Promise<TestResult>
  /** Tests a definition that is not saved (the form's values). */
  testUnsaved(body: C): Promise<TestResult>
}

export function datasourceApi(service: string): ConnectionApi<Datasource, DatasourceCreate, DatasourcePatch> {
  const base = { service }
  return {
    list: (query) => unwrap(api.GET('/api/v1/services/{service}/datasources', { params: { path: base, query } })),
    create: (body) => unwrap(api.POST('/api/v1/services/{service}/datasources', { params: { path: base }, body })),
    update: (id, body) =>
      unwrap(api.PATCH('/api/v1/services/{service}/datasources/{connection_id}', { params: { path: { ...base, connection_id: id } }, body })),
    remove: (id) =>
      unwrap(api.DELETE('/api/v1/services/{service}/datasources/{connection_id}', { params: { path: { ...base, connection_id: id } } })),
    test: (id, changes) =>
      unwrap(api.POST('/api/v1/services/{service}/datasources/{connection_id}/test', { params: { path: { ...base, connection_id: id } }, body: changes })),
    testUnsaved: (body) => unwrap(api.POST('/api/v1/services/{service}/datasources/test', { params: { path: base }, body })),
  }
}

export function redisApi(service: string): ConnectionApi<RedisInstance, RedisCreate, RedisPatch> {
  const base = { service }
  return {
    list: (query) => unwrap(api.GET('/api/v1/services/{service}/redis', { params: { path: base, query } })),
    create: (body) => unwrap(api.POST('/api/v1/services/{service}/redis', { params: { path: base }, body })),
    update: (id, body) =>
      unwrap(api.PATCH('/api/v1/services/{service}/redis/{connection_id}', { params: { path: { ...base, connection_id: id } }, body })),
    remove: (id) =>
      unwrap(api.DELETE('/api/v1/services/{service}/redis/{connection_id}', { params: { path: { ...base, connection_id: id } } })),
    test: (id, changes) =>
      unwrap(api.POST('/api/v1/services/{service}/redis/{connection_id}/test', { params: { path: { ...base, connection_id: id } }, body: changes })),
    testUnsaved: (body) => unwrap(api.POST('/api/v1/services/{service}/redis/test', { params: { path: base }, body })),
  }
}

export function jobBackendApi(service: string): ConnectionApi<JobBackend, JobBackendCreate, JobBackendPatch> {
  const base = { service }
  return {
    list: (query) => unwrap(api.GET('/api/v1/services/{service}/job-backends', { params: { path: base, query } })),
    create: (body) => unwrap(api.POST('/api/v1/services/{service}/job-backends', { params: { path: base }, body })),
    update: (id, body) =>
      unwrap(api.PATCH('/api/v1/services/{service}/job-backends/{connection_id}', { params: { path: { ...base, connection_id: id } }, body })),
    remove: (id) =>
      unwrap(api.DELETE('/api/v1/services/{service}/job-backends/{connection_id}', { params: { path: { ...base, connection_id: id } } })),
    test: (id, changes) =>
      unwrap(api.POST('/api/v1/services/{service}/job-backends/{connection_id}/test', { params: { path: { ...base, connection_id: id } }, body: changes })),
    testUnsaved: (body) => unwrap(api.POST('/api/v1/services/{service}/job-backends/test', { params: { path: base }, body })),
  }
}

export function debugEndpointApi(service: string): ConnectionApi<DebugEndpoint, DebugEndpointCreate, DebugEndpointPatch> {
  const base = { service }
  return {
    list: (query) => unwrap(api.GET('/api/v1/services/{service}/debug-endpoints', { params: { path: base, query } })),
    create: (body) => unwrap(api.POST('/api/v1/services/{service}/debug-endpoints', { params: { path: base }, body })),
    update: (id, body) =>
      unwrap(api.PATCH('/api/v1/services/{service}/debug-endpoints/{connection_id}', { params: { path: { ...base, connection_id: id } }, body })),
    remove: (id) =>
      unwrap(api.DELETE('/api/v1/services/{service}/debug-endpoints/{connection_id}', { params: { path: { ...base, connection_id: id } } })),
    test: (id, changes) =>
      unwrap(api.POST('/api/v1/services/{service}/debug-endpoints/{connection_id}/test', { params: { path: { ...base, connection_id: id } }, body: changes })),
    testUnsaved: (body) => unwrap(api.POST('/api/v1/services/{service}/debug-endpoints/test', { params: { path: base }, body })),
  }
}

export function kafkaClusterApi(): ConnectionApi<KafkaCluster, KafkaClusterCreate, KafkaClusterPatch> {
  return {
    list: (query) => unwrap(api.GET('/api/v1/kafka-clusters', { params: { query } })),
    create: (body) => unwrap(api.POST('/api/v1/kafka-clusters', { body })),
    update: (id, body) => unwrap(api.PATCH('/api/v1/kafka-clusters/{connection_id}', { params: { path: { connection_id: id } }, body })),
    remove: (id) => unwrap(api.DELETE('/api/v1/kafka-clusters/{connection_id}', { params: { path: { connection_id: id } } })),
    test: (id, changes) => unwrap(api.POST('/api/v1/kafka-clusters/{connection_id}/test', { params: { path: { connection_id: id } }, body: changes })),
    testUnsaved: (body) => unwrap(api.POST('/api/v1/kafka-clusters/test', { body })),
  }
}

export function notificationChannelApi(): ConnectionApi<NotificationChannel, NotificationChannelCreate, NotificationChannelPatch> {
  return {
    list: (query) => unwrap(api.GET('/api/v1/notification-channels', { params: { query } })),
    create: (body) => unwrap(api.POST('/api/v1/notification-channels', { body })),
    update: (id, body) =>
      unwrap(api.PATCH('/api/v1/notification-channels/{connection_id}', { params: { path: { connection_id: id } }, body })),
    remove: (id) => unwrap(api.DELETE('/api/v1/notification-channels/{connection_id}', { params: { path: { connection_id: id } } })),
    test: (id, changes) => unwrap(api.POST('/api/v1/notification-channels/{connection_id}/test', { params: { path: { connection_id: id } }, body: changes })),
    testUnsaved: (body) => unwrap(api.POST('/api/v1/notification-channels/test', { body })),
  }
}
