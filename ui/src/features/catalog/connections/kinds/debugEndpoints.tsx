import { Button, Col, Form, Input, InputNumber, Radio, Row, Select, Tag, Typography } from 'antd'
import type { DebugEndpoint, DebugEndpointCreate, DebugEndpointPatch } from '../../../../api/types'
import { debugEndpointApi } from '../api'
import {
  DEBUG_AUTH,
  HTTP_METHODS,
  debugEndpointCreate,
  debugEndpointPatch,
  debugEndpointValues,
  type DebugEndpointValues,
} from '../bodies'
import { NameDescriptionFields } from '../CommonFields'
import { parseJsonObject } from '../convert'
import type { ConnectionKind } from '../kind'
import { SecretInput } from '../SecretInput'

const AUTH_LABELS: Record<(typeof DEBUG_AUTH)[number], string> = { none: 'None', token: 'Bearer token', hmac: 'HMAC signature' }
const AUTH_HELP: Record<(typeof DEBUG_AUTH)[number], string> = {
  none: 'Runs send no credentials: only for endpoints that need none.',
  token: 'Runs send Authorization: Bearer <token>; the probe SDK compares it with its own.',
  hmac: 'Runs sign the time, method, path and body with this key (X-Gyrfalcon-Signature); the key itself is never sent.',
}

const METHOD_COLORS: Record<string, string> = { GET: 'blue', POST: 'green', PUT: 'orange', PATCH: 'gold', DELETE: 'red' }

function DebugEndpointFields({ editing }: { editing: DebugEndpoint | null }) {
  const form = Form.useFormInstance<DebugEndpointValues>()
  const auth = Form.useWatch('auth', form) ?? 'none'
  const format = () => {
    try {
      const parsed = parseJsonObject(form.getFieldValue('parameters') as string)
      form.setFieldValue('parameters', JSON.stringify(parsed, null, 2))
    } catch {
      void form.validateFields(['parameters'])
    }
  }
  return (
    <>
      <NameDescriptionFields singular="debug endpoint" />
      <Row gutter={12}>
        <Col xs={24} sm={7}>
          <Form.Item label="Method" name="method" rules={[{ required: true }]}>
            <Select options={HTTP_METHODS.map((value) => ({ value, label: value }))} data-testid="debug-method" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={17}>
          <Form.Item
            label="Path"
            name="path"
            extra="Under the service's base URL."
            rules={[
              { required: true, message: 'A path is required' },
              { pattern: /^\/\S*$/, message: "Start with '/' and use no spaces" },
            ]}
          >
            <Input placeholder="/debug/chain" data-testid="debug-path" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="Authentication" name="auth" extra={AUTH_HELP[auth as (typeof DEBUG_AUTH)[number]]}>
        <Radio.Group
          optionType="button"
          options={DEBUG_AUTH.map((value) => ({ value, label: AUTH_LABELS[value] }))}
          data-testid="debug-auth"
        />
      </Form.Item>
      {auth !== 'none' && (
        <Form.Item
          label={auth === 'hmac' ? 'HMAC key' : 'Token'}
          name="secret"
          extra="Dropped when the path, the method or the service's base URL changes: enter it again then."
        >
          <SecretInput isSet={editing?.secret_set} data-testid="debug-secret" />
        </Form.Item>
      )}
      <Form.Item label="Timeout (seconds)" name="timeout_seconds" rules={[{ required: true, message: 'A timeout is required' }]}>
        <InputNumber min={0.1} max={300} step={1} style={{ width: 160 }} data-testid="debug-timeout" />
      </Form.Item>
      <Form.Item
        label="Parameters (JSON Schema)"
        name="parameters"
        extra={
          <>
            The parameters an engineer fills in before a run, as a JSON Schema object.{' '}
            <Button type="link" size="small" onClick={format} style={{ padding: 0 }}>
              Format
            </Button>
          </>
        }
        rules={[
          {
            validator: async (_rule, value: string) => {
              parseJsonObject(value ?? '')
            },
          },
        ]}
      >
        <Input.TextArea
          autoSize={{ minRows: 6, maxRows: 18 }}
          spellCheck={false}
          style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 }}
          data-testid="debug-parameters"
        />
      </Form.Item>
    </>
  )
}

export const debugEndpointKind: ConnectionKind<DebugEndpoint, DebugEndpointCreate, DebugEndpointPatch, DebugEndpointValues> = {
  id: 'debug-endpoints',
  title: 'Debug endpoints',
  singular: 'debug endpoint',
  description: 'Endpoints of the service that exercise its dependencies and report the chain.',
  makeApi: (service) => debugEndpointApi(service ?? ''),
  columns: [
    {
      title: 'Request',
      key: 'request',
      ellipsis: true,
      render: (_: unknown, row) => (
        <span>
          <Tag color={METHOD_COLORS[row.method] ?? 'default'}>{row.method}</Tag>
          <Typography.Text code>{row.path}</Typography.Text>
        </span>
      ),
    },
    {
      title: 'Parameters',
      key: 'parameters',
      width: 140,
      render: (_: unknown, row) => {
        const props = row.parameters?.properties
        const count = props && typeof props === 'object' ? Object.keys(props).length : 0
        return `${count} parameter${count === 1 ? '' : 's'}`
      },
    },
    {
      title: 'Auth',
      key: 'auth',
      width: 150,
      render: (_: unknown, row) =>
        row.auth !== 'none' && !row.secret_set ? (
          <Tag color="warning" title="Runs are refused until it is entered again">
            {AUTH_LABELS[row.auth]}: not set
          </Tag>
        ) : (
          AUTH_LABELS[row.auth]
        ),
    },
    { title: 'Timeout', dataIndex: 'timeout_seconds', key: 'timeout', width: 100, render: (s: number) => `${s} s` },
  ],
  Fields: DebugEndpointFields,
  toValues: debugEndpointValues,
  toCreate: debugEndpointCreate,
  toPatch: debugEndpointPatch,
  secrets: ['secret'],
  drawerWidth: 640,
}
