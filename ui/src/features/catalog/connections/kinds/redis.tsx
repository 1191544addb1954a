import { Col, Form, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd'
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
  type RedisValues,
} from '../bodies'
import { NameDescriptionFields } from '../CommonFields'
import type { ConnectionKind } from '../kind'
import { SecretInput } from '../SecretInput'
import { EntryModeField, Muted, SecretTag, UrlText } from './shared'

/** Where a Redis lives: a redis:// URL or host, port, db, user, password and TLS. */
function RedisConnectionFields({ editing, testPrefix }: { editing: RedisInstance | null; testPrefix: string }) {
  const form = Form.useFormInstance<RedisValues>()
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
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item label="Username" name="username" extra="Only for Redis ACL users.">
                <Input autoComplete="off" data-testid={`${testPrefix}-username`} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item label="Password" name="password">
                <SecretInput isSet={editing?.password_set} data-testid={`${testPrefix}-password`} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label="TLS" name="tls" valuePropName="checked">
            <Switch data-testid={`${testPrefix}-tls`} />
          </Form.Item>
        </>
      )}
      <Form.Item label="Verify TLS certificate" name="tls_verify" valuePropName="checked">
        <Switch data-testid={`${testPrefix}-tls-verify`} />
      </Form.Item>
    </>
  )
}

function RedisFields({ editing }: { editing: RedisInstance | null }) {
  return (
    <>
      <NameDescriptionFields singular="Redis instance" />
      <RedisConnectionFields editing={editing} testPrefix="redis" />
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

const redisColumns = [
  { title: 'URL', dataIndex: 'url', key: 'url', ellipsis: true, render: (url: string) => <UrlText url={url} /> },
  {
    title: 'Security',
    key: 'security',
    width: 200,
    render: (_: unknown, row: RedisInstance) => (
      <Space size={4} wrap>
        {row.tls ? <Tag color="green">TLS</Tag> : <Tag>no TLS</Tag>}
        <SecretTag set={row.password_set} />
      </Space>
    ),
  },
]

export const redisKind: ConnectionKind<RedisInstance, RedisCreate, RedisPatch, RedisValues> = {
  id: 'redis',
  title: 'Redis',
  singular: 'Redis instance',
  description: 'Redis instances the service caches or queues in.',
  makeApi: (service) => redisApi(service ?? ''),
  columns: redisColumns,
  Fields: RedisFields,
  toValues: redisValues,
  toCreate: redisCreate,
  toPatch: redisPatch,
  secrets: ['password'],
}

export const jobBackendKind: ConnectionKind<JobBackend, JobBackendCreate, JobBackendPatch, JobBackendValues> = {
  id: 'job-backends',
  title: 'Job backends',
  singular: 'job backend',
  description: 'Background job systems (Sidekiq, Resque, gocraft/work, RQ, Celery) and the Redis they keep state in; their jobs are on the Jobs pages.',
  makeApi: (service) => jobBackendApi(service ?? ''),
  columns: [
    { title: 'Type', dataIndex: 'type', key: 'type', width: 110, render: (type: string) => <Tag color="purple">{type}</Tag> },
    {
      title: 'Namespace',
      dataIndex: 'namespace',
      key: 'namespace',
      width: 140,
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
