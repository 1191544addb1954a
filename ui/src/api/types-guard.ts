// Compile-time guard: fails `tsc` if a regenerated schema turns any API type alias into never
// (a renamed path or status code would otherwise type-check silently).
import type * as T from './types'
type IsNever<X> = [X] extends [never] ? true : false
type AssertFalse<X extends false> = X
export type Probe = [
  AssertFalse<IsNever<T.User>>, AssertFalse<IsNever<T.Module>>, AssertFalse<IsNever<T.Token>>, AssertFalse<IsNever<T.TokenCreate>>,
  AssertFalse<IsNever<T.TokenCreated>>, AssertFalse<IsNever<T.Service>>, AssertFalse<IsNever<T.ServiceCreate>>, AssertFalse<IsNever<T.ServiceUpdate>>,
  AssertFalse<IsNever<T.TestResult>>, AssertFalse<IsNever<T.Datasource>>, AssertFalse<IsNever<T.DatasourceCreate>>, AssertFalse<IsNever<T.DatasourcePatch>>,
  AssertFalse<IsNever<T.RedisInstance>>, AssertFalse<IsNever<T.RedisCreate>>, AssertFalse<IsNever<T.RedisPatch>>,
  AssertFalse<IsNever<T.JobBackend>>, AssertFalse<IsNever<T.JobBackendCreate>>, AssertFalse<IsNever<T.JobBackendPatch>>,
  AssertFalse<IsNever<T.DebugEndpoint>>, AssertFalse<IsNever<T.DebugEndpointCreate>>, AssertFalse<IsNever<T.DebugEndpointPatch>>,
  AssertFalse<IsNever<T.KafkaCluster>>, AssertFalse<IsNever<T.KafkaClusterCreate>>, AssertFalse<IsNever<T.KafkaClusterPatch>>,
  AssertFalse<IsNever<T.NotificationChannel>>, AssertFalse<IsNever<T.NotificationChannelCreate>>, AssertFalse<IsNever<T.NotificationChannelPatch>>,
  AssertFalse<IsNever<T.LoginResponse>>, AssertFalse<IsNever<T.ServicePage>>,
  AssertFalse<IsNever<T.Permission>>, AssertFalse<IsNever<T.Role>>, AssertFalse<IsNever<T.RoleCreate>>, AssertFalse<IsNever<T.RoleUpdate>>,
  AssertFalse<IsNever<T.Team>>, AssertFalse<IsNever<T.TeamCreate>>, AssertFalse<IsNever<T.TeamUpdate>>,
  AssertFalse<IsNever<T.AccessUser>>, AssertFalse<IsNever<T.AccessUserDetail>>, AssertFalse<IsNever<T.AccessUserUpdate>>,
  AssertFalse<IsNever<T.GroupMapping>>, AssertFalse<IsNever<T.GroupMappingCreate>>,
]
