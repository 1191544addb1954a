/**
 * Names for the API's shapes, derived from paths (not component names) so a
 * regenerated schema keeps them stable.
 */
import type { paths } from './schema'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>

export type ResponseOf<P extends keyof paths, M extends Method, S extends number = 200> =
  Operation<P, M> extends { responses: infer R }
    ? S extends keyof R
      ? R[S] extends { content: { 'application/json': infer B } }
        ? B
        : never
      : never
    : never

export type BodyOf<P extends keyof paths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

export type User = ResponseOf<'/api/v1/auth/me', 'get'>
export type LoginResponse = ResponseOf<'/api/v1/auth/login', 'post'>
export type Module = ResponseOf<'/api/v1/modules', 'get'>[number]

export type Token = ResponseOf<'/api/v1/auth/tokens', 'get'>['items'][number]
export type TokenCreate = BodyOf<'/api/v1/auth/tokens', 'post'>
export type TokenCreated = ResponseOf<'/api/v1/auth/tokens', 'post', 201>

export type Service = ResponseOf<'/api/v1/services/{service}', 'get'>
export type ServiceCreate = BodyOf<'/api/v1/services', 'post'>
export type ServiceUpdate = BodyOf<'/api/v1/services/{service}', 'patch'>
export type ServicePage = ResponseOf<'/api/v1/services', 'get'>

export type TestResult = ResponseOf<'/api/v1/kafka-clusters/{connection_id}/test', 'post'>

export interface Page<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}

type ItemPath =
  | '/api/v1/services/{service}/datasources/{connection_id}'
  | '/api/v1/services/{service}/redis/{connection_id}'
  | '/api/v1/services/{service}/job-backends/{connection_id}'
  | '/api/v1/services/{service}/debug-endpoints/{connection_id}'
  | '/api/v1/kafka-clusters/{connection_id}'
  | '/api/v1/notification-channels/{connection_id}'

type ReadAt<P extends ItemPath> = ResponseOf<P, 'get'>
type PatchAt<P extends ItemPath> = BodyOf<P, 'patch'>

export type Datasource = ReadAt<'/api/v1/services/{service}/datasources/{connection_id}'>
export type DatasourceCreate = BodyOf<'/api/v1/services/{service}/datasources', 'post'>
export type DatasourcePatch = PatchAt<'/api/v1/services/{service}/datasources/{connection_id}'>

export type RedisInstance = ReadAt<'/api/v1/services/{service}/redis/{connection_id}'>
export type RedisCreate = BodyOf<'/api/v1/services/{service}/redis', 'post'>
export type RedisPatch = PatchAt<'/api/v1/services/{service}/redis/{connection_id}'>

export type JobBackend = ReadAt<'/api/v1/services/{service}/job-backends/{connection_id}'>
export type JobBackendCreate = BodyOf<'/api/v1/services/{service}/job-backends', 'post'>
export type JobBackendPatch = PatchAt<'/api/v1/services/{service}/job-backends/{connection_id}'>

export type DebugEndpoint = ReadAt<'/api/v1/services/{service}/debug-endpoints/{connection_id}'>
export type DebugEndpointCreate = BodyOf<'/api/v1/services/{service}/debug-endpoints', 'post'>
export type DebugEndpointPatch = PatchAt<'/api/v1/services/{service}/debug-endpoints/{connection_id}'>

export type KafkaCluster = ReadAt<'/api/v1/kafka-clusters/{connection_id}'>
export type KafkaClusterCreate = BodyOf<'/api/v1/kafka-clusters', 'post'>
export type KafkaClusterPatch = PatchAt<'/api/v1/kafka-clusters/{connection_id}'>

export type NotificationChannel = ReadAt<'/api/v1/notification-channels/{connection_id}'>
export type NotificationChannelCreate = BodyOf<'/api/v1/notification-channels', 'post'>
export type NotificationChannelPatch = PatchAt<'/api/v1/notification-channels/{connection_id}'>

export type Permission = ResponseOf<'/api/v1/permissions', 'get'>[number]
export type Role = ResponseOf<'/api/v1/roles/{role_id}', 'get'>
export type RoleCreate = BodyOf<'/api/v1/roles', 'post'>
export type RoleUpdate = BodyOf<'/api/v1/roles/{role_id}', 'patch'>
export type Grant = Role['grants'][number]
export type GrantScope = Grant['scope']
export type Team = ResponseOf<'/api/v1/teams/{team}', 'get'>
export type TeamCreate = BodyOf<'/api/v1/teams', 'post'>
export type TeamUpdate = BodyOf<'/api/v1/teams/{team}', 'patch'>
export type AccessUser = ResponseOf<'/api/v1/users', 'get'>['items'][number]
export type AccessUserDetail = ResponseOf<'/api/v1/users/{user_id}', 'get'>
export type AccessUserUpdate = BodyOf<'/api/v1/users/{user_id}', 'patch'>
export type AccessUserCreate = BodyOf<'/api/v1/users', 'post'>
export type HeldRole = AccessUser['roles'][number]
export type EffectivePermission = AccessUserDetail['permissions'][number]
export type GroupMapping = ResponseOf<'/api/v1/directory-group-mappings', 'get'>['items'][number]
export type GroupMappingCreate = BodyOf<'/api/v1/directory-group-mappings', 'post'>

export type MyPermission = ResponseOf<'/api/v1/auth/me/permissions', 'get'>[number]

export type AuditRecord = ResponseOf<'/api/v1/audit', 'get'>['items'][number]
export type AuditDetail = ResponseOf<'/api/v1/audit/{record_id}', 'get'>
export type AuditChange = AuditDetail['changes'][number]
export type AuditQuery = NonNullable<NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>>

export type Home = ResponseOf<'/api/v1/home', 'get'>
export type HomeTile = Home['tiles'][number]
export type HomeTileItem = HomeTile['items'][number]
export type ChecklistStep = Home['checklist'][number]
export type Badge = ResponseOf<'/api/v1/home/badges', 'get'>[number]
