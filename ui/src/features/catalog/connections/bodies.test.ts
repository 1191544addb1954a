import { describe, expect, it } from 'vitest'
import type { Datasource, JobBackend, KafkaCluster, NotificationChannel, RedisInstance } from '../../../api/types'
import {
  datasourceCreate,
  datasourcePatch,
  datasourceValues,
  debugEndpointCreate,
  debugEndpointPatch,
  debugEndpointValues,
  jobBackendCreate,
  jobBackendPatch,
  jobBackendValues,
  kafkaClusterCreate,
  kafkaClusterPatch,
  kafkaClusterValues,
  notificationChannelCreate,
  notificationChannelPatch,
  notificationChannelValues,
  redisCreate,
  redisPatch,
  redisValues,
} from './bodies'

const stamps = { created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' }

const savedDatasource: Datasource = {
  id: 7,
  name: 'main',
  description: 'primary',
  service: 'orders',
  ...stamps,
  dialect: 'postgresql',
  driver: null,
  host: 'db.internal',
  port: 5432,
  database: 'orders',
  username: 'app',
  options: { sslmode: 'require' },
  url: 'postgresql+psycopg://app@db.internal:5432/orders?sslmode=require',
  password_set: true,
}

describe('datasource bodies', () => {
  it('creates from fields, leaving out a blank password and blank optionals as null', () => {
    const values = { ...datasourceValues(null), name: ' main ', host: 'db', port: 5432, database: 'orders', username: '' }
    expect(datasourceCreate(values)).toEqual({
      name: 'main',
      description: '',
      dialect: 'postgresql',
      driver: null,
      host: 'db',
      port: 5432,
      database: 'orders',
      username: null,
      options: {},
    })
  })

  it('creates with the password when one is typed', () => {
    const values = { ...datasourceValues(null), name: 'main', host: 'db', password: 'pw' }
    expect(datasourceCreate(values)).toMatchObject({ password: 'pw' })
  })

  it('creates from a URL instead of the fields', () => {
    const values = { ...datasourceValues(null), name: 'main', mode: 'url' as const, url: ' mysql://u:p@h/db ', host: 'ignored' }
    const body = datasourceCreate(values)
    expect(body).toMatchObject({ name: 'main', url: 'mysql://u:p@h/db' })
    expect(body).not.toHaveProperty('host')
    expect(body).not.toHaveProperty('password')
  })

  it('patches nothing when nothing changed and the password is left blank', () => {
    const initial = datasourceValues(savedDatasource)
    expect(datasourcePatch({ ...initial }, initial)).toEqual({})
  })

  it('patches only changed fields; blank password keeps the stored one', () => {
    const initial = datasourceValues(savedDatasource)
    const body = datasourcePatch({ ...initial, host: 'db2.internal', options: [] }, initial)
    expect(body).toEqual({ host: 'db2.internal', options: {} })
    expect(body).not.toHaveProperty('password')
  })

  it('sends password: null when the secret is cleared, a string when replaced', () => {
    const initial = datasourceValues(savedDatasource)
    expect(datasourcePatch({ ...initial, password: null }, initial)).toEqual({ password: null })
    expect(datasourcePatch({ ...initial, password: 'new' }, initial)).toEqual({ password: 'new' })
  })

  it('patches with a URL in URL mode', () => {
    const initial = datasourceValues(savedDatasource)
    expect(datasourcePatch({ ...initial, mode: 'url', url: 'postgresql://x@y/z' }, initial)).toEqual({ url: 'postgresql://x@y/z' })
  })

  it('fills the form from a read without any secret', () => {
    const values = datasourceValues(savedDatasource)
    expect(values.password).toBeUndefined()
    expect(values.options).toEqual([{ key: 'sslmode', value: 'require' }])
  })
})

const savedRedis: RedisInstance = {
  id: 3,
  name: 'cache',
  description: '',
  service: 'orders',
  ...stamps,
  host: 'cache.internal',
  port: 6380,
  db: 2,
  username: null,
  tls: true,
  tls_verify: true,
  url: 'rediss://cache.internal:6380/2',
  password_set: true,
  mode: 'standalone',
  nodes: [],
  sentinel_master: null,
  sentinel_password_set: false,
  key_prefix: 'orders:',
  read_only: true,
}

const savedSentinel: RedisInstance = {
  ...savedRedis,
  id: 4,
  name: 'sessions',
  host: '127.0.0.1',
  port: 6379,
  db: 1,
  tls: false,
  url: 'redis://mymaster/1 (sentinels s1:26379,s2:26379)',
  mode: 'sentinel',
  nodes: ['s1:26379', 's2:26379'],
  sentinel_master: 'mymaster',
  sentinel_password_set: true,
}

const savedJobBackend: JobBackend = {
  id: 5,
  name: 'jobs',
  description: '',
  service: 'orders',
  ...stamps,
  host: 'jobs.internal',
  port: 6379,
  db: 0,
  username: null,
  tls: false,
  tls_verify: true,
  url: 'redis://jobs.internal:6379/0',
  password_set: false,
  type: 'sidekiq',
  namespace: '',
}

/** The fields a job backend's Redis (one server) does not have. */
const REDIS_ONLY = ['mode', 'deployment', 'nodes', 'sentinel_master', 'sentinel_password', 'key_prefix', 'read_only']

describe('redis and job backend bodies', () => {
  it('creates a standalone instance from fields, read-only by default', () => {
    const values = { ...redisValues(null), name: 'cache', password: 'pw' }
    expect(values.read_only).toBe(true)
    expect(values.deployment).toBe('standalone')
    expect(redisCreate(values)).toEqual({
      name: 'cache',
      description: '',
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      username: null,
      tls: false,
      tls_verify: true,
      password: 'pw',
      mode: 'standalone',
      nodes: [],
      sentinel_master: null,
      key_prefix: '',
      read_only: true,
    })
  })

  it('creates from a URL', () => {
    const values = { ...redisValues(null), name: 'cache', mode: 'url' as const, url: 'rediss://:pw@h:6380/1', tls_verify: false }
    expect(redisCreate(values)).toMatchObject({ url: 'rediss://:pw@h:6380/1', tls_verify: false, mode: 'standalone' })
    expect(redisCreate(values)).not.toHaveProperty('password')
  })

  it('creates a cluster: its seed nodes and database 0, never a URL or the Sentinel fields', () => {
    const values = {
      ...redisValues(null),
      name: 'cache',
      deployment: 'cluster' as const,
      // A URL left in the entry mode, a DB and a master typed before switching: all ignored.
      mode: 'url' as const,
      url: 'redis://ignored:6379/0',
      db: 3,
      nodes: [' c1:6379 ', 'c2:6379', ''],
      sentinel_master: 'ignored',
      sentinel_password: 'ignored',
      key_prefix: ' orders: ',
      read_only: false,
      password: 'pw',
    }
    const body = redisCreate(values)
    expect(body).toMatchObject({
      mode: 'cluster',
      nodes: ['c1:6379', 'c2:6379'],
      db: 0,
      sentinel_master: null,
      key_prefix: 'orders:',
      read_only: false,
      password: 'pw',
    })
    expect(body).not.toHaveProperty('url')
    expect(body).not.toHaveProperty('sentinel_password')
  })

  it('creates a sentinel instance with its master, Sentinels and their password', () => {
    const values = {
      ...redisValues(null),
      name: 'sessions',
      deployment: 'sentinel' as const,
      nodes: ['s1:26379', 's2:26379'],
      sentinel_master: ' mymaster ',
      sentinel_password: 'sentinel-pw',
      password: 'primary-pw',
      db: 2,
    }
    expect(redisCreate(values)).toEqual({
      name: 'sessions',
      description: '',
      host: '127.0.0.1',
      port: 6379,
      db: 2,
      username: null,
      tls: false,
      tls_verify: true,
      password: 'primary-pw',
      mode: 'sentinel',
      nodes: ['s1:26379', 's2:26379'],
      sentinel_master: 'mymaster',
      key_prefix: '',
      read_only: true,
      sentinel_password: 'sentinel-pw',
    })
    expect(redisCreate({ ...values, sentinel_password: '' })).not.toHaveProperty('sentinel_password')
  })

  it('patches changes and secrets only', () => {
    const initial = redisValues(savedRedis)
    expect(redisPatch(initial, initial)).toEqual({})
    expect(redisPatch({ ...initial, db: 3, tls_verify: false }, initial)).toEqual({ tls_verify: false, db: 3 })
    expect(redisPatch({ ...initial, password: null }, initial)).toEqual({ password: null })
  })

  it('patches only the changed read-only switch and key prefix', () => {
    const initial = redisValues(savedRedis)
    expect(initial).toMatchObject({ deployment: 'standalone', key_prefix: 'orders:', read_only: true })
    expect(redisPatch({ ...initial, read_only: false }, initial)).toEqual({ read_only: false })
    expect(redisPatch({ ...initial, key_prefix: 'orders:v2:' }, initial)).toEqual({ key_prefix: 'orders:v2:' })
    expect(redisPatch({ ...initial, key_prefix: ' orders: ' }, initial)).toEqual({})
  })

  it('patches a switch to cluster with its nodes and database 0', () => {
    const initial = redisValues(savedRedis)
    expect(redisPatch({ ...initial, deployment: 'cluster', nodes: ['c1:6379'] }, initial)).toEqual({
      mode: 'cluster',
      nodes: ['c1:6379'],
      db: 0,
    })
  })

  it('patches a sentinel instance: the changed fields, its secret kept, replaced or cleared', () => {
    const initial = redisValues(savedSentinel)
    expect(initial).toMatchObject({ deployment: 'sentinel', sentinel_master: 'mymaster', nodes: ['s1:26379', 's2:26379'], db: 1 })
    expect(initial.sentinel_password).toBeUndefined()
    expect(redisPatch(initial, initial)).toEqual({})
    expect(redisPatch({ ...initial, sentinel_master: 'other', nodes: ['s1:26379'] }, initial)).toEqual({
      nodes: ['s1:26379'],
      sentinel_master: 'other',
    })
    expect(redisPatch({ ...initial, sentinel_password: 'new' }, initial)).toEqual({ sentinel_password: 'new' })
    expect(redisPatch({ ...initial, sentinel_password: null }, initial)).toEqual({ sentinel_password: null })
  })

  it('patches a switch from sentinel to cluster without the Sentinel fields', () => {
    const initial = redisValues(savedSentinel)
    const body = redisPatch({ ...initial, deployment: 'cluster', nodes: ['c1:6379'], sentinel_password: 'typed' }, initial)
    expect(body).toEqual({ mode: 'cluster', nodes: ['c1:6379'], sentinel_master: null, db: 0 })
  })

  it('lists host:port as the seed of a cluster saved without nodes', () => {
    const saved: RedisInstance = { ...savedRedis, mode: 'cluster', db: 0, nodes: [] }
    const initial = redisValues(saved)
    expect(initial.nodes).toEqual(['cache.internal:6380'])
    expect(redisPatch(initial, initial)).toEqual({})
  })

  it('adds type and namespace for job backends', () => {
    const values = { ...jobBackendValues(null), name: 'jobs', type: 'rq', namespace: ' rq: ' }
    expect(jobBackendCreate(values)).toMatchObject({ type: 'rq', namespace: 'rq:', host: '127.0.0.1' })
    const initial = jobBackendValues({ ...savedJobBackend, type: 'sidekiq', namespace: '' })
    expect(jobBackendPatch({ ...initial, type: 'celery' }, initial)).toEqual({ type: 'celery' })
  })

  it('never sends the Redis instance fields for a job backend', () => {
    const values = jobBackendValues(null)
    for (const field of REDIS_ONLY.filter((name) => name !== 'mode')) expect(values).not.toHaveProperty(field)
    const body = jobBackendCreate({ ...values, name: 'jobs', password: 'pw' })
    expect(body).toEqual({
      name: 'jobs',
      description: '',
      host: '127.0.0.1',
      port: 6379,
      db: 0,
      username: null,
      tls: false,
      tls_verify: true,
      password: 'pw',
      type: 'sidekiq',
      namespace: '',
    })
    // Even values that carry them (a form store is loose) do not reach the body.
    const loose = { ...values, name: 'jobs', deployment: 'cluster', nodes: ['c1:6379'], read_only: true, key_prefix: 'x:' }
    const created = jobBackendCreate(loose)
    for (const field of REDIS_ONLY) expect(created).not.toHaveProperty(field)
    const initial = jobBackendValues(savedJobBackend)
    const patched = jobBackendPatch({ ...initial, ...{ deployment: 'sentinel', read_only: false }, db: 4 }, initial)
    expect(patched).toEqual({ db: 4 })
    expect(jobBackendCreate({ ...values, name: 'jobs', mode: 'url', url: 'redis://h:6379/0' })).not.toHaveProperty('mode')
  })
})

const savedDebug = {
  id: 1,
  name: 'chain',
  description: '',
  service: 'orders',
  ...stamps,
  method: 'GET' as const,
  path: '/debug',
  parameters: { type: 'object', properties: {} },
  timeout_seconds: 10,
  auth: 'none' as const,
  secret_set: false,
}

describe('debug endpoint bodies', () => {
  it('parses the parameters schema from JSON text', () => {
    const values = {
      ...debugEndpointValues(null),
      name: 'chain',
      method: 'POST' as const,
      path: '/debug/chain',
      parameters: '{"type":"object","properties":{"id":{"type":"integer"}}}',
    }
    expect(debugEndpointCreate(values)).toEqual({
      name: 'chain',
      description: '',
      method: 'POST',
      path: '/debug/chain',
      parameters: { type: 'object', properties: { id: { type: 'integer' } } },
      timeout_seconds: 30,
      auth: 'none',
    })
  })

  it('sends the token only when the endpoint authenticates, and keeps a stored one', () => {
    const values = { ...debugEndpointValues(null), name: 'chain', auth: 'token' as const, secret: 's3cret' }
    expect(debugEndpointCreate(values)).toMatchObject({ auth: 'token', secret: 's3cret' })
    expect(debugEndpointCreate({ ...values, auth: 'none' })).not.toHaveProperty('secret')
    const initial = debugEndpointValues({ ...savedDebug, auth: 'hmac', secret_set: true })
    expect(debugEndpointPatch(initial, initial)).toEqual({})
    expect(debugEndpointPatch({ ...initial, secret: 'new-key' }, initial)).toEqual({ secret: 'new-key' })
  })

  it('does not resend an unchanged schema that was only reformatted', () => {
    const initial = debugEndpointValues(savedDebug)
    expect(debugEndpointPatch({ ...initial, parameters: '{"type":"object","properties":{}}' }, initial)).toEqual({})
    expect(debugEndpointPatch({ ...initial, timeout_seconds: 5 }, initial)).toEqual({ timeout_seconds: 5 })
  })

  it('throws on invalid JSON', () => {
    expect(() => debugEndpointCreate({ ...debugEndpointValues(null), name: 'x', parameters: '{' })).toThrow()
  })
})

const savedKafka: KafkaCluster = {
  id: 1,
  name: 'events',
  description: '',
  service: null,
  ...stamps,
  bootstrap_servers: ['k1:9092', 'k2:9092'],
  security_protocol: 'SASL_SSL',
  sasl_mechanism: 'SCRAM-SHA-512',
  sasl_username: 'svc',
  tls_verify: true,
  sasl_password_set: true,
}

describe('kafka cluster bodies', () => {
  it('creates a plaintext cluster without SASL fields', () => {
    const values = { ...kafkaClusterValues(null), name: 'events', bootstrap_servers: [' k1:9092 '], sasl_password: 'ignored' }
    expect(kafkaClusterCreate(values)).toEqual({
      name: 'events',
      description: '',
      bootstrap_servers: ['k1:9092'],
      security_protocol: 'PLAINTEXT',
      sasl_mechanism: null,
      sasl_username: null,
      tls_verify: true,
    })
  })

  it('creates a SASL cluster with its password', () => {
    const values = {
      ...kafkaClusterValues(null),
      name: 'events',
      bootstrap_servers: ['k1:9092'],
      security_protocol: 'SASL_SSL' as const,
      sasl_mechanism: 'PLAIN' as const,
      sasl_username: 'svc',
      sasl_password: 'pw',
    }
    expect(kafkaClusterCreate(values)).toMatchObject({ sasl_mechanism: 'PLAIN', sasl_username: 'svc', sasl_password: 'pw' })
  })

  it('patches the changed servers and clears the SASL password on request', () => {
    const initial = kafkaClusterValues(savedKafka)
    expect(kafkaClusterPatch({ ...initial, bootstrap_servers: ['k1:9092'] }, initial)).toEqual({ bootstrap_servers: ['k1:9092'] })
    expect(kafkaClusterPatch({ ...initial, sasl_password: null }, initial)).toEqual({ sasl_password: null })
    expect(kafkaClusterPatch({ ...initial, sasl_password: '' }, initial)).toEqual({})
  })
})

describe('notification channel bodies', () => {
  it('creates each type with only its own fields', () => {
    const base = { ...notificationChannelValues(null), name: 'ops' }
    expect(notificationChannelCreate({ ...base, type: 'email', host: 'smtp', from_address: 'a@b.c', password: 'pw' })).toEqual({
      name: 'ops',
      description: '',
      type: 'email',
      host: 'smtp',
      port: 587,
      security: 'starttls',
      username: null,
      from_address: 'a@b.c',
      recipients: [],
      subject_template: null,
      body_template: null,
      password: 'pw',
    })
    expect(notificationChannelCreate({ ...base, type: 'slack', webhook_url: 'https://hooks.slack.com/x', host: 'ignored' })).toEqual({
      name: 'ops',
      description: '',
      type: 'slack',
      webhook_url: 'https://hooks.slack.com/x',
      text_template: null,
    })
    expect(notificationChannelCreate({ ...base, type: 'webhook', url: 'https://h/x', hmac_secret: '' })).toEqual({
      name: 'ops',
      description: '',
      type: 'webhook',
      url: 'https://h/x',
      body_template: null,
    })
  })

  it('sends recipients and templates; a blank template means the default wording', () => {
    const base = { ...notificationChannelValues(null), name: 'ops', host: 'smtp', from_address: 'a@b.c' }
    const body = notificationChannelCreate({
      ...base,
      recipients: [' oncall@example.com ', ''],
      subject_template: '[{{ label }}] {{ monitor }}',
      body_template: '   ',
    })
    expect(body).toMatchObject({ recipients: ['oncall@example.com'], subject_template: '[{{ label }}] {{ monitor }}', body_template: null })
    const hook = notificationChannelCreate({ ...base, type: 'webhook', url: 'https://h/x', body_template: '{{ monitor }} is {{ state }}\n' })
    expect(hook).toMatchObject({ body_template: '{{ monitor }} is {{ state }}\n' })
  })

  it('never patches the type; secrets follow blank=keep, null=clear', () => {
    const saved: NotificationChannel = {
      id: 4,
      name: 'hook',
      description: '',
      service: null,
      ...stamps,
      type: 'webhook',
      body_template: '{{ monitor }}',
      url_set: true,
      hmac_secret_set: true,
    }
    const initial = notificationChannelValues(saved)
    expect(initial.type).toBe('webhook')
    expect(initial.body_template).toBe('{{ monitor }}')
    expect(notificationChannelPatch(initial, initial)).toEqual({})
    expect(notificationChannelPatch({ ...initial, body_template: '' }, initial)).toEqual({ body_template: null })
    expect(notificationChannelPatch({ ...initial, hmac_secret: null }, initial)).toEqual({ hmac_secret: null })
    expect(notificationChannelPatch({ ...initial, url: 'https://new/x', name: 'hook2' }, initial)).toEqual({ name: 'hook2', url: 'https://new/x' })
  })

  it('patches email fields that changed', () => {
    const saved: NotificationChannel = {
      id: 5,
      name: 'mail',
      description: '',
      service: null,
      ...stamps,
      type: 'email',
      host: 'smtp',
      port: 587,
      security: 'starttls',
      username: 'u',
      from_address: 'a@b.c',
      recipients: ['ops@example.com'],
      subject_template: null,
      body_template: null,
      password_set: false,
    }
    const initial = notificationChannelValues(saved)
    expect(initial.recipients).toEqual(['ops@example.com'])
    expect(notificationChannelPatch({ ...initial, port: 465, security: 'ssl', username: '' }, initial)).toEqual({
      port: 465,
      security: 'ssl',
      username: null,
    })
    expect(notificationChannelPatch({ ...initial, recipients: ['ops@example.com', 'dev@example.com'], subject_template: '{{ monitor }}' }, initial)).toEqual({
      recipients: ['ops@example.com', 'dev@example.com'],
      subject_template: '{{ monitor }}',
    })
  })
})
