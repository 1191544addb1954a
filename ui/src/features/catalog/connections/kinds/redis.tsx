import { Col, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Tag, Typography } from 'antd'
import type {
  JobBackend,
  JobBackendCreate,
  JobBackendPatch,
  RedisCreate,
  RedisInstance,
  RedisPatch,
} from '../../../../api/types'
import { $api } from '../../../../api/client'
import { jobBackendApi, redisApi } from '../api'
import {
  jobBackendCreate,
  jobBackendPatch,
  jobBackendValues,
  redisCreate,
  redisPatch,
  redisValues,
  type JobBackendValues,
  type RedisDeployment,
  type RedisServerValues,
  type RedisValues,
} from '../bodies'
import { NameDescriptionFields } from '../CommonFields'
import type { ConnectionKind } from '../kind'
import { SecretInput } from '../SecretInput'
import { EntryModeField, Muted, SecretTag, UrlText, hostPortListRules } from './shared'

/** What the connection fields show of a saved Redis instance or job backend. */
type SavedRedis = Pick<RedisInstance, 'url' | 'password_set'>

interface PartProps {
  editing: SavedRedis | null
  testPrefix: string
}

function UsernamePasswordFields({ editing, testPrefix, whose }: PartProps & { whose?: string }) {
  return (
    <Row gutter={12}>
      <Col xs={24} sm={12}>
        <Form.Item label="Username" name="username" extra={whose ? `${whose} ACL user, if any.` : 'Only for Redis ACL users.'}>
          <Input autoComplete="off" data-testid={`${testPrefix}-username`} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item label="Password" name="password" extra={whose ? `${whose} password, if any.` : undefined}>
          <SecretInput isSet={editing?.password_set} data-testid={`${testPrefix}-password`} />
        </Form.Item>
      </Col>
    </Row>
  )
}

/** TLS and whether to check the certificate (a URL says TLS by its scheme). */
function TlsFields({ testPrefix, withTls = true }: { testPrefix: string; withTls?: boolean }) {
  return (
    <Row gutter={12}>
      {withTls && (
        <Col xs={12} sm={12}>
          <Form.Item label="TLS" name="tls" valuePropName="checked">
            <Switch data-testid={`${testPrefix}-tls`} />
          </Form.Item>
        </Col>
      )}
      <Col xs={12} sm={12}>
        <Form.Item label="Verify TLS certificate" name="tls_verify" valuePropName="checked">
          <Switch data-testid={`${testPrefix}-tls-verify`} />
        </Form.Item>
      </Col>
    </Row>
  )
}

/** One Redis server: a redis:// URL, or host, port, db, user, password and TLS. */
function RedisConnectionFields({ editing, testPrefix }: PartProps) {
  const form = Form.useFormInstance<RedisServerValues>()
  const mode = Form.useWatch('mode', form)
  return (
    <>
      <EntryModeField />
      {mode === 'url' ? (
        <>
          {editing && (
            <Typography.Paragraph type="secondary">
              Current: <Typography.Text code>{editing.url}</Typography.Text>
            </Typography.Paragraph>
          )}
          <Form.Item
            label="Connection URL"
            name="url"
            extra="redis://[user:password@]host:port/db, or rediss:// for TLS."
            rules={[
              { required: true, whitespace: true, message: 'Enter the Redis URL' },
              { pattern: /^rediss?:\/\/.+/, message: 'Start with redis:// or rediss://' },
            ]}
          >
            <Input placeholder="redis://cache.internal:6379/0" autoComplete="off" data-testid={`${testPrefix}-url`} />
          </Form.Item>
        </>
      ) : (
        <>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item label="Host" name="host" rules={[{ required: true, whitespace: true, message: 'A host is required' }]}>
                <Input placeholder="127.0.0.1" data-testid={`${testPrefix}-host`} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item label="Port" name="port" rules={[{ required: true, message: 'Port' }]}>
                <InputNumber min={1} max={65535} style={{ width: '100%' }} data-testid={`${testPrefix}-port`} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item label="DB" name="db" rules={[{ required: true, message: 'DB' }]}>
                <InputNumber min={0} max={1024} style={{ width: '100%' }} data-testid={`${testPrefix}-db`} />
              </Form.Item>
            </Col>
          </Row>
          <UsernamePasswordFields editing={editing} testPrefix={testPrefix} />
        </>
      )}
      <TlsFields testPrefix={testPrefix} withTls={mode !== 'url'} />
    </>
  )
}

const DEPLOYMENT_HELP: Record<RedisDeployment, string> = {
  standalone: 'One Redis server.',
  cluster: 'A Redis Cluster, reached through any of its nodes; a cluster has database 0 only.',
  sentinel: 'A primary that Redis Sentinel watches and fails over; the Sentinels say where it is.',
}

function NodesField({ deployment }: { deployment: 'cluster' | 'sentinel' }) {
  const cluster = deployment === 'cluster'
  return (
    <Form.Item
      label={cluster ? 'Seed nodes' : 'Sentinels'}
      name="nodes"
      extra={
        cluster
          ? 'host:port of one or more of the cluster\'s nodes, the others are found from them; press Enter after each.'
          : 'host:port of each Sentinel (usually port 26379); press Enter after each.'
      }
      rules={hostPortListRules(cluster ? 'Add at least one seed node' : 'Add at least one Sentinel')}
    >
      <Select
        mode="tags"
        open={false}
        suffixIcon={null}
        tokenSeparators={[',', ' ']}
        placeholder={cluster ? 'cache-1.internal:6379' : 'sentinel-1.internal:26379'}
        data-testid="redis-nodes"
      />
    </Form.Item>
  )
}

function SentinelFields({ editing }: { editing: RedisInstance | null }) {
  return (
    <>
      <NodesField deployment="sentinel" />
      <Row gutter={12}>
        <Col xs={16} sm={18}>
          <Form.Item
            label="Master name"
            name="sentinel_master"
            extra="The name the Sentinels monitor the primary by."
            rules={[
              { required: true, whitespace: true, message: 'Name the primary the Sentinels monitor' },
              { max: 200, message: 'At most 200 characters' },
            ]}
          >
            <Input placeholder="mymaster" autoComplete="off" data-testid="redis-sentinel-master" />
          </Form.Item>
        </Col>
        <Col xs={8} sm={6}>
          <Form.Item label="DB" name="db" rules={[{ required: true, message: 'DB' }]}>
            <InputNumber min={0} max={1024} style={{ width: '100%' }} data-testid="redis-db" />
          </Form.Item>
        </Col>
      </Row>
      <UsernamePasswordFields editing={editing} testPrefix="redis" whose="The primary's" />
      <Form.Item label="Sentinel password" name="sentinel_password" extra="The Sentinels' own password, if they have one.">
        <SecretInput isSet={editing?.sentinel_password_set} data-testid="redis-sentinel-password" />
      </Form.Item>
      <TlsFields testPrefix="redis" />
    </>
  )
}

function RedisFields({ editing }: { editing: RedisInstance | null }) {
  const form = Form.useFormInstance<RedisValues>()
  const deployment: RedisDeployment = Form.useWatch('deployment', form) ?? 'standalone'
  return (
    <>
      <NameDescriptionFields singular="Redis instance" />
      <Form.Item label="Deployment" name="deployment" extra={DEPLOYMENT_HELP[deployment]}>
        <Radio.Group optionType="button" buttonStyle="solid" data-testid="redis-deployment">
          <Radio.Button value="standalone">Standalone</Radio.Button>
          <Radio.Button value="cluster">Cluster</Radio.Button>
          <Radio.Button value="sentinel">Sentinel</Radio.Button>
        </Radio.Group>
      </Form.Item>
      {deployment === 'standalone' && <RedisConnectionFields editing={editing} testPrefix="redis" />}
      {deployment === 'cluster' && (
        <>
          <NodesField deployment="cluster" />
          <UsernamePasswordFields editing={editing} testPrefix="redis" />
          <TlsFields testPrefix="redis" />
        </>
      )}
      {deployment === 'sentinel' && <SentinelFields editing={editing} />}
      <Form.Item
        label="Key prefix"
        name="key_prefix"
        extra={
          <>
            The prefix the service&apos;s keys start with, e.g. <Typography.Text code>orders:</Typography.Text>; blank when they have
            none.
          </>
        }
        rules={[{ max: 200, message: 'At most 200 characters' }]}
      >
        <Input placeholder="orders:" autoComplete="off" data-testid="redis-key-prefix" />
      </Form.Item>
      <Form.Item
        label="Read-only"
        name="read_only"
        valuePropName="checked"
        extra="While on, the console changes nothing on this instance (no delete, no TTL), whatever the user's permissions."
      >
        <Switch data-testid="redis-read-only" />
      </Form.Item>
    </>
  )
}

/** The job systems this server can read: its installed adapters. */
function useJobBackendTypes() {
  return $api.useQuery('get', '/api/v1/job-backend-types', {}, { staleTime: Infinity })
}

function JobBackendFields({ editing }: { editing: JobBackend | null }) {
  const types = useJobBackendTypes()
  const typeOptions = (types.data ?? []).map(({ type, label }) => ({ value: type, label }))
  return (
    <>
      <NameDescriptionFields singular="job backend" />
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item label="Type" name="type" rules={[{ required: true, message: 'Pick the job system' }]}>
            <Select options={typeOptions} loading={types.isPending} data-testid="job-backend-type" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item label="Namespace" name="namespace" extra="Key prefix the job system uses, if any.">
            <Input placeholder="none" data-testid="job-backend-namespace" />
          </Form.Item>
        </Col>
      </Row>
      <RedisConnectionFields editing={editing} testPrefix="job-backend" />
    </>
  )
}

/** URL and security: what a Redis instance and a job backend show alike. */
const redisColumns = [
  // A width of its own: as the only column without one it got what the others left, a
  // few letters of the address on a desktop.
  { title: 'URL', dataIndex: 'url', key: 'url', width: 165, ellipsis: true, render: (url: string) => <UrlText url={url} /> },
  {
    title: 'Security',
    key: 'security',
    width: 120,
    render: (_: unknown, row: SavedRedis & Pick<RedisInstance, 'tls'>) => (
      <Space size={4} wrap>
        {row.tls ? <Tag color="green">TLS</Tag> : <Tag>no TLS</Tag>}
        <SecretTag set={row.password_set} />
      </Space>
    ),
  },
]

const DEPLOYMENT_COLORS: Partial<Record<RedisDeployment, string>> = { cluster: 'blue', sentinel: 'geekblue' }

/** How the instance is deployed (nothing for one server) and whether it is read-only; a
 * job backend has neither. */
function RedisModeTags({ row }: { row: Partial<Pick<RedisInstance, 'mode' | 'read_only'>> }) {
  const deployment = row.mode && row.mode !== 'standalone' ? row.mode : null
  if (!deployment && !row.read_only) return <Muted>—</Muted>
  return (
    <Space size={4} wrap data-testid="redis-mode-tags">
      {deployment && (
        <Tag color={DEPLOYMENT_COLORS[deployment]} style={{ marginInlineEnd: 0 }} data-testid="redis-mode-tag">
          {deployment}
        </Tag>
      )}
      {row.read_only && (
        <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="redis-read-only-tag">
          read-only
        </Tag>
      )}
    </Space>
  )
}

export const redisKind: ConnectionKind<RedisInstance, RedisCreate, RedisPatch, RedisValues> = {
  id: 'redis',
  title: 'Redis',
  singular: 'Redis instance',
  description: 'Redis instances the service caches or queues in.',
  makeApi: (service) => redisApi(service ?? ''),
  columns: [
    redisColumns[0],
    { title: 'Mode', key: 'mode', width: 150, render: (_: unknown, row: RedisInstance) => <RedisModeTags row={row} /> },
    redisColumns[1],
  ],
  Fields: RedisFields,
  toValues: redisValues,
  toCreate: redisCreate,
  toPatch: redisPatch,
  secrets: ['password', 'sentinel_password'],
}

export const jobBackendKind: ConnectionKind<JobBackend, JobBackendCreate, JobBackendPatch, JobBackendValues> = {
  id: 'job-backends',
  title: 'Job backends',
  singular: 'job backend',
  description: 'Background job systems (Sidekiq, Resque, gocraft/work, RQ, Celery) and the Redis they keep state in; their jobs are on the Jobs pages.',
  makeApi: (service) => jobBackendApi(service ?? ''),
  columns: [
    { title: 'Type', dataIndex: 'type', key: 'type', width: 100, render: (type: string) => <Tag color="purple">{type}</Tag> },
    {
      title: 'Namespace',
      dataIndex: 'namespace',
      key: 'namespace',
      width: 120,
      ellipsis: true,
      render: (ns: string) => (ns ? ns : <Muted>—</Muted>),
    },
    ...redisColumns,
  ],
  Fields: JobBackendFields,
  toValues: jobBackendValues,
  toCreate: jobBackendCreate,
  toPatch: jobBackendPatch,
  secrets: ['password'],
}
