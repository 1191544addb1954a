/** Per-kind form values and their conversion to create and PATCH bodies. */
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
  RedisCreate,
  RedisInstance,
  RedisPatch,
} from '../../../api/types'
import {
  changedFields,
  mapToPairs,
  pairsToMap,
  parseJsonObject,
  text,
  textOrNull,
  withNewSecrets,
  withSecrets,
  type KeyValue,
  type SecretValue,
} from './convert'

export interface BaseValues {
  name: string
  description: string
}

export type EntryMode = 'fields' | 'url'

function base(values: BaseValues): BaseValues {
  return { name: text(values.name), description: values.description ?? '' }
}

// --- datasources --------------------------------------------------------------------------

export const SQL_DIALECTS = ['postgresql', 'mysql', 'mariadb', 'sqlite'] as const

export interface DatasourceValues extends BaseValues {
  mode: EntryMode
  url: string
  dialect: string
  driver: string
  host: string
  port: number | null
  database: string
  username: string
  password: SecretValue
  options: KeyValue[]
}

export function datasourceValues(read: Datasource | null): DatasourceValues {
  return {
    name: read?.name ?? '',
    description: read?.description ?? '',
    mode: 'fields',
    url: '',
    dialect: read?.dialect ?? 'postgresql',
    driver: read?.driver ?? '',
    host: read?.host ?? '',
    port: read?.port ?? null,
    database: read?.database ?? '',
    username: read?.username ?? '',
    password: undefined,
    options: mapToPairs(read?.options),
  }
}

function datasourceFields(v: DatasourceValues) {
  return {
    dialect: text(v.dialect) || 'postgresql',
    driver: textOrNull(v.driver),
    host: textOrNull(v.host),
    port: v.port ?? null,
    database: textOrNull(v.database),
    username: textOrNull(v.username),
    options: pairsToMap(v.options),
  }
}

export function datasourceCreate(v: DatasourceValues): DatasourceCreate {
  if (v.mode === 'url') return { ...base(v), dialect: 'postgresql', url: text(v.url) }
  return withNewSecrets({ ...base(v), ...datasourceFields(v) }, { password: v.password })
}

export function datasourcePatch(v: DatasourceValues, initial: DatasourceValues): DatasourcePatch {
  const common = changedFields(base(v), base(initial))
  if (v.mode === 'url') return { ...common, url: text(v.url) }
  return withSecrets({ ...common, ...changedFields(datasourceFields(v), datasourceFields(initial)) }, { password: v.password })
}

// --- redis and job backends ---------------------------------------------------------------

/** One Redis server: what a job backend keeps its state in, and the connection part of a
 * Redis instance. */
export interface RedisServerValues extends BaseValues {
  mode: EntryMode
  url: string
  host: string
  port: number | null
  db: number | null
  username: string
  password: SecretValue
  tls: boolean
  tls_verify: boolean
}

/** What a Redis instance and a job backend read alike. */
type RedisServerRead = Pick<RedisInstance, 'name' | 'description' | 'host' | 'port' | 'db' | 'username' | 'tls' | 'tls_verify'>
type RedisServerCreate = Omit<JobBackendCreate, 'type' | 'namespace'>
type RedisServerPatch = Omit<JobBackendPatch, 'type' | 'namespace'>

function redisServerValues(read: RedisServerRead | null): RedisServerValues {
  return {
    name: read?.name ?? '',
    description: read?.description ?? '',
    mode: 'fields',
    url: '',
    host: read?.host ?? '127.0.0.1',
    port: read?.port ?? 6379,
    db: read?.db ?? 0,
    username: read?.username ?? '',
    password: undefined,
    tls: read?.tls ?? false,
    tls_verify: read?.tls_verify ?? true,
  }
}

function redisServerFields(v: RedisServerValues) {
  return {
    host: text(v.host) || '127.0.0.1',
    port: v.port ?? 6379,
    db: v.db ?? 0,
    username: textOrNull(v.username),
    tls: Boolean(v.tls),
  }
}

function redisServerCreate(v: RedisServerValues): RedisServerCreate {
  if (v.mode === 'url') {
    // The URL fills host, port, db, tls, user and password on the server.
    return { ...base(v), url: text(v.url), host: '127.0.0.1', port: 6379, db: 0, tls: false, username: null, tls_verify: Boolean(v.tls_verify) }
  }
  return withNewSecrets({ ...base(v), ...redisServerFields(v), tls_verify: Boolean(v.tls_verify) }, { password: v.password })
}

function redisServerPatch(v: RedisServerValues, initial: RedisServerValues): RedisServerPatch {
  const common = changedFields(
    { ...base(v), tls_verify: Boolean(v.tls_verify) },
    { ...base(initial), tls_verify: Boolean(initial.tls_verify) },
  )
  if (v.mode === 'url') return { ...common, url: text(v.url) }
  return withSecrets({ ...common, ...changedFields(redisServerFields(v), redisServerFields(initial)) }, { password: v.password })
}

/** How a Redis instance is deployed: the API's `mode`. */
export const REDIS_DEPLOYMENTS = ['standalone', 'cluster', 'sentinel'] as const
export type RedisDeployment = (typeof REDIS_DEPLOYMENTS)[number]

export interface RedisValues extends RedisServerValues {
  /** The API's `mode` (`mode` here is the entry mode: fields or URL). */
  deployment: RedisDeployment
  /** cluster: the seed nodes; sentinel: the Sentinels (host:port each). */
  nodes: string[]
  sentinel_master: string
  sentinel_password: SecretValue
  key_prefix: string
  read_only: boolean
}

/** host:port, with an IPv6 address in brackets. */
function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

export function redisValues(read: RedisInstance | null): RedisValues {
  const deployment = read?.mode ?? 'standalone'
  let nodes = [...(read?.nodes ?? [])]
  // A cluster saved without seed nodes is seeded at host:port: the form lists that seed.
  if (read && deployment === 'cluster' && nodes.length === 0) nodes = [hostPort(read.host, read.port)]
  return {
    ...redisServerValues(read),
    deployment,
    nodes,
    sentinel_master: read?.sentinel_master ?? '',
    sentinel_password: undefined,
    key_prefix: read?.key_prefix ?? '',
    read_only: read?.read_only ?? true,
  }
}

/** Whether the form defines the instance by one URL: a standalone Redis only. */
export function redisUsesUrl(v: Pick<RedisValues, 'deployment' | 'mode'>): boolean {
  return (v.deployment ?? 'standalone') === 'standalone' && v.mode === 'url'
}

/** The server part of the values as the deployment has it: a cluster has database 0 only. */
function redisServer(v: RedisValues): RedisServerValues {
  return { ...v, mode: redisUsesUrl(v) ? 'url' : 'fields', db: v.deployment === 'cluster' ? 0 : v.db }
}

function redisTopology(v: RedisValues) {
  const deployment = v.deployment ?? 'standalone'
  return {
    mode: deployment,
    nodes: deployment === 'standalone' ? [] : (v.nodes ?? []).map((node) => node.trim()).filter(Boolean),
    sentinel_master: deployment === 'sentinel' ? textOrNull(v.sentinel_master) : null,
    key_prefix: text(v.key_prefix),
    read_only: Boolean(v.read_only),
  }
}

/** The Sentinels' password counts in sentinel mode only (a hidden field sends nothing). */
function sentinelSecrets(v: RedisValues): Record<string, SecretValue> {
  return v.deployment === 'sentinel' ? { sentinel_password: v.sentinel_password } : {}
}

export function redisCreate(v: RedisValues): RedisCreate {
  return withNewSecrets({ ...redisServerCreate(redisServer(v)), ...redisTopology(v) }, sentinelSecrets(v))
}

export function redisPatch(v: RedisValues, initial: RedisValues): RedisPatch {
  return withSecrets(
    { ...redisServerPatch(redisServer(v), redisServer(initial)), ...changedFields(redisTopology(v), redisTopology(initial)) },
    sentinelSecrets(v),
  )
}

/** A job backend's Redis is one server: no deployment, nodes, key prefix or read-only. */
export interface JobBackendValues extends RedisServerValues {
  /** One of the job systems the server has an adapter for (GET /api/v1/job-backend-types). */
  type: string
  namespace: string
}

export function jobBackendValues(read: JobBackend | null): JobBackendValues {
  return { ...redisServerValues(read), type: read?.type ?? 'sidekiq', namespace: read?.namespace ?? '' }
}

function jobFields(v: JobBackendValues) {
  return { type: v.type, namespace: text(v.namespace) }
}

export function jobBackendCreate(v: JobBackendValues): JobBackendCreate {
  return { ...redisServerCreate(v), ...jobFields(v) }
}

export function jobBackendPatch(v: JobBackendValues, initial: JobBackendValues): JobBackendPatch {
  return { ...redisServerPatch(v, initial), ...changedFields(jobFields(v), jobFields(initial)) }
}

// --- debug endpoints ----------------------------------------------------------------------

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]
export const EMPTY_PARAMETERS_SCHEMA = { type: 'object', properties: {} }

export const DEBUG_AUTH = ['none', 'token', 'hmac'] as const
export type DebugAuth = (typeof DEBUG_AUTH)[number]

export interface DebugEndpointValues extends BaseValues {
  method: HttpMethod
  path: string
  /** JSON Schema of the parameters, as JSON text. */
  parameters: string
  timeout_seconds: number | null
  auth: DebugAuth
  secret: SecretValue
}

export function debugEndpointValues(read: DebugEndpoint | null): DebugEndpointValues {
  return {
    name: read?.name ?? '',
    description: read?.description ?? '',
    method: read?.method ?? 'GET',
    path: read?.path ?? '/',
    parameters: JSON.stringify(read?.parameters ?? EMPTY_PARAMETERS_SCHEMA, null, 2),
    timeout_seconds: read?.timeout_seconds ?? 30,
    auth: read?.auth ?? 'none',
    secret: undefined,
  }
}

function debugFields(v: DebugEndpointValues) {
  return {
    method: v.method,
    path: text(v.path),
    parameters: parseJsonObject(v.parameters || '{}'),
    timeout_seconds: v.timeout_seconds ?? 30,
    auth: v.auth,
  }
}

export function debugEndpointCreate(v: DebugEndpointValues): DebugEndpointCreate {
  const secrets = v.auth === 'none' ? {} : { secret: v.secret }
  return withNewSecrets({ ...base(v), ...debugFields(v) }, secrets)
}

export function debugEndpointPatch(v: DebugEndpointValues, initial: DebugEndpointValues): DebugEndpointPatch {
  return withSecrets(
    { ...changedFields(base(v), base(initial)), ...changedFields(debugFields(v), debugFields(initial)) },
    { secret: v.secret },
  )
}

// --- kafka clusters -----------------------------------------------------------------------

export const KAFKA_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const
export type KafkaProtocol = (typeof KAFKA_PROTOCOLS)[number]
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
export type SaslMechanism = (typeof SASL_MECHANISMS)[number]

export function usesSasl(protocol: string | null | undefined): boolean {
  return typeof protocol === 'string' && protocol.startsWith('SASL')
}

export interface KafkaClusterValues extends BaseValues {
  bootstrap_servers: string[]
  security_protocol: KafkaProtocol
  sasl_mechanism: SaslMechanism | null | undefined
  sasl_username: string
  sasl_password: SecretValue
  tls_verify: boolean
}

export function kafkaClusterValues(read: KafkaCluster | null): KafkaClusterValues {
  return {
    name: read?.name ?? '',
    description: read?.description ?? '',
    bootstrap_servers: read?.bootstrap_servers ?? [],
    security_protocol: read?.security_protocol ?? 'PLAINTEXT',
    sasl_mechanism: read?.sasl_mechanism ?? null,
    sasl_username: read?.sasl_username ?? '',
    sasl_password: undefined,
    tls_verify: read?.tls_verify ?? true,
  }
}

function kafkaFields(v: KafkaClusterValues) {
  const sasl = usesSasl(v.security_protocol)
  return {
    bootstrap_servers: (v.bootstrap_servers ?? []).map((server) => server.trim()).filter(Boolean),
    security_protocol: v.security_protocol,
    sasl_mechanism: sasl ? (v.sasl_mechanism ?? null) : null,
    sasl_username: sasl ? textOrNull(v.sasl_username) : null,
    tls_verify: Boolean(v.tls_verify),
  }
}

export function kafkaClusterCreate(v: KafkaClusterValues): KafkaClusterCreate {
  const secrets = usesSasl(v.security_protocol) ? { sasl_password: v.sasl_password } : {}
  return withNewSecrets({ ...base(v), ...kafkaFields(v) }, secrets)
}

export function kafkaClusterPatch(v: KafkaClusterValues, initial: KafkaClusterValues): KafkaClusterPatch {
  return withSecrets(
    { ...changedFields(base(v), base(initial)), ...changedFields(kafkaFields(v), kafkaFields(initial)) },
    { sasl_password: v.sasl_password },
  )
}

// --- notification channels ----------------------------------------------------------------

export const CHANNEL_TYPES = ['email', 'slack', 'webhook'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]
export const SMTP_SECURITY = ['none', 'starttls', 'ssl'] as const
export type SmtpSecurity = (typeof SMTP_SECURITY)[number]

export interface NotificationChannelValues extends BaseValues {
  type: ChannelType
  host: string
  port: number | null
  security: SmtpSecurity
  username: string
  password: SecretValue
  from_address: string
  /** Email: who receives every alert of the channel. */
  recipients: string[]
  webhook_url: SecretValue
  url: SecretValue
  hmac_secret: SecretValue
  /** Jinja templates; blank keeps the default wording. */
  subject_template: string
  body_template: string
  text_template: string
}

export function notificationChannelValues(read: NotificationChannel | null): NotificationChannelValues {
  const values: NotificationChannelValues = {
    name: read?.name ?? '',
    description: read?.description ?? '',
    type: read?.type ?? 'email',
    host: '',
    port: 587,
    security: 'starttls',
    username: '',
    password: undefined,
    from_address: '',
    recipients: [],
    webhook_url: undefined,
    url: undefined,
    hmac_secret: undefined,
    subject_template: '',
    body_template: '',
    text_template: '',
  }
  if (read?.type === 'email') {
    values.host = read.host
    values.port = read.port
    values.security = read.security
    values.username = read.username ?? ''
    values.from_address = read.from_address
    values.recipients = [...(read.recipients ?? [])]
    values.subject_template = read.subject_template ?? ''
    values.body_template = read.body_template ?? ''
  }
  if (read?.type === 'slack') values.text_template = read.text_template ?? ''
  if (read?.type === 'webhook') values.body_template = read.body_template ?? ''
  return values
}

/** A template as sent: null (the default wording) when blank; otherwise exactly as typed. */
function template(value: string | null | undefined): string | null {
  return (value ?? '').trim() === '' ? null : (value as string)
}

function emailFields(v: NotificationChannelValues) {
  return {
    host: text(v.host),
    port: v.port ?? 587,
    security: v.security,
    username: textOrNull(v.username),
    from_address: text(v.from_address),
    recipients: (v.recipients ?? []).map((address) => address.trim()).filter(Boolean),
    subject_template: template(v.subject_template),
    body_template: template(v.body_template),
  }
}

/** The fields of each type other than its secrets. */
function typeFields(v: NotificationChannelValues) {
  switch (v.type) {
    case 'email':
      return emailFields(v)
    case 'slack':
      return { text_template: template(v.text_template) }
    case 'webhook':
      return { body_template: template(v.body_template) }
  }
}

function channelSecrets(v: NotificationChannelValues): Record<string, SecretValue> {
  switch (v.type) {
    case 'email':
      return { password: v.password }
    case 'slack':
      return { webhook_url: v.webhook_url }
    case 'webhook':
      return { url: v.url, hmac_secret: v.hmac_secret }
  }
}

export function notificationChannelCreate(v: NotificationChannelValues): NotificationChannelCreate {
  const common = base(v)
  switch (v.type) {
    case 'email':
      return withNewSecrets({ ...common, type: 'email', ...emailFields(v) }, channelSecrets(v))
    case 'slack':
      return {
        ...common,
        type: 'slack',
        webhook_url: typeof v.webhook_url === 'string' ? v.webhook_url.trim() : '',
        text_template: template(v.text_template),
      }
    case 'webhook':
      return withNewSecrets(
        { ...common, type: 'webhook', url: typeof v.url === 'string' ? v.url.trim() : '', body_template: template(v.body_template) },
        { hmac_secret: v.hmac_secret },
      )
  }
}

/** The channel type is fixed once created, so a PATCH never changes it. */
export function notificationChannelPatch(
  v: NotificationChannelValues,
  initial: NotificationChannelValues,
): NotificationChannelPatch {
  const body: NotificationChannelPatch = changedFields(base(v), base(initial))
  const fields = changedFields(typeFields(v), typeFields({ ...initial, type: v.type }))
  return withSecrets({ ...body, ...fields }, channelSecrets(v))
}
