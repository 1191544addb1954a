import { Col, Form, Input, InputNumber, Radio, Row, Select, Space, Tag } from 'antd'
import type { NotificationChannel, NotificationChannelCreate, NotificationChannelPatch } from '../../../../api/types'
import { notificationChannelApi } from '../api'
import {
  CHANNEL_TYPES,
  SMTP_SECURITY,
  notificationChannelCreate,
  notificationChannelPatch,
  notificationChannelValues,
  type NotificationChannelValues,
} from '../bodies'
import { NameDescriptionFields } from '../CommonFields'
import type { ConnectionKind } from '../kind'
import { SecretInput } from '../SecretInput'
import { ChannelTest } from './ChannelTest'
import { ChannelTemplateFields } from './ChannelTemplateFields'
import { SecretTag } from './shared'

const TYPE_LABELS: Record<string, string> = { email: 'Email', slack: 'Slack', webhook: 'Webhook' }
const TYPE_COLORS: Record<string, string> = { email: 'blue', slack: 'purple', webhook: 'orange' }
const EMAIL = /^[^@\s]+@[^@\s]+$/

function secretSet(channel: NotificationChannel | null, field: string): boolean {
  return Boolean(channel && (channel as unknown as Record<string, unknown>)[`${field}_set`] === true)
}

function EmailFields({ editing }: { editing: NotificationChannel | null }) {
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} sm={16}>
          <Form.Item label="SMTP host" name="host" rules={[{ required: true, whitespace: true, message: 'The SMTP host is required' }]}>
            <Input placeholder="smtp.internal" data-testid="email-host" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item label="Port" name="port" rules={[{ required: true, message: 'Port' }]}>
            <InputNumber min={1} max={65535} style={{ width: '100%' }} data-testid="email-port" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="Security" name="security" rules={[{ required: true }]}>
        <Select options={SMTP_SECURITY.map((value) => ({ value, label: value === 'none' ? 'None' : value.toUpperCase() }))} data-testid="email-security" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item label="Username" name="username">
            <Input autoComplete="off" data-testid="email-username" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item label="Password" name="password">
            <SecretInput isSet={secretSet(editing, 'password')} data-testid="email-password" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        label="From address"
        name="from_address"
        rules={[
          { required: true, message: 'The sender address is required' },
          { pattern: /^[^@\s]+@[^@\s]+$/, message: 'Enter an address such as alerts@example.com' },
        ]}
      >
        <Input placeholder="gyrfalcon@example.com" data-testid="email-from" />
      </Form.Item>
      <Form.Item
        label="Recipients"
        name="recipients"
        extra="Receive every alert sent through this channel; monitors can add their own addresses."
        rules={[
          {
            validator: (_, recipients: string[] | undefined) => {
              const bad = (recipients ?? []).find((address) => !EMAIL.test(address.trim()))
              return bad ? Promise.reject(new Error(`“${bad}” is not an email address`)) : Promise.resolve()
            },
          },
        ]}
      >
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ', ';']} placeholder="oncall@example.com" data-testid="email-recipients" />
      </Form.Item>
    </>
  )
}

function ChannelFields({ editing }: { editing: NotificationChannel | null }) {
  const form = Form.useFormInstance<NotificationChannelValues>()
  const type = Form.useWatch('type', form)
  const creating = !editing
  return (
    <>
      <NameDescriptionFields singular="notification channel" />
      <Form.Item label="Type" name="type" extra={editing ? 'The type of a saved channel cannot change.' : undefined}>
        <Radio.Group optionType="button" buttonStyle="solid" disabled={Boolean(editing)} data-testid="channel-type">
          {CHANNEL_TYPES.map((value) => (
            <Radio.Button key={value} value={value}>
              {TYPE_LABELS[value]}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      {type === 'email' && <EmailFields editing={editing} />}
      {type === 'slack' && (
        <Form.Item
          label="Webhook URL"
          name="webhook_url"
          extra="Slack incoming-webhook URL; stored encrypted."
          rules={[
            { required: creating, message: 'The webhook URL is required' },
            { pattern: /^https?:\/\//, message: 'Must be an http(s) URL' },
          ]}
        >
          <SecretInput isSet={secretSet(editing, 'webhook_url')} clearable={false} placeholder="https://hooks.slack.com/services/…" data-testid="slack-webhook-url" />
        </Form.Item>
      )}
      {type === 'webhook' && (
        <>
          <Form.Item
            label="URL"
            name="url"
            extra="Receives a JSON POST; stored encrypted."
            rules={[
              { required: creating, message: 'The URL is required' },
              { pattern: /^https?:\/\//, message: 'Must be an http(s) URL' },
            ]}
          >
            <SecretInput isSet={secretSet(editing, 'url')} clearable={false} placeholder="https://alerts.internal/hook" data-testid="webhook-url" />
          </Form.Item>
          <Form.Item label="HMAC secret" name="hmac_secret" extra="Signs each body with HMAC-SHA256 in X-Gyrfalcon-Signature.">
            <SecretInput isSet={secretSet(editing, 'hmac_secret')} data-testid="webhook-hmac-secret" />
          </Form.Item>
        </>
      )}
      {type && <ChannelTemplateFields type={type} />}
    </>
  )
}

function ChannelTarget({ channel }: { channel: NotificationChannel }) {
  switch (channel.type) {
    case 'email':
      return (
        <span>
          {channel.from_address} via {channel.host}:{channel.port}
          {channel.recipients.length > 0 && ` · ${channel.recipients.length} recipient${channel.recipients.length === 1 ? '' : 's'}`}
        </span>
      )
    case 'slack':
      return <SecretTag set={channel.webhook_url_set} label="webhook URL" />
    case 'webhook':
      return (
        <Space size={4} wrap>
          <SecretTag set={channel.url_set} label="URL" />
          {channel.hmac_secret_set ? <Tag color="green">signed</Tag> : <Tag>unsigned</Tag>}
        </Space>
      )
  }
}

export const notificationChannelKind: ConnectionKind<
  NotificationChannel,
  NotificationChannelCreate,
  NotificationChannelPatch,
  NotificationChannelValues
> = {
  id: 'notification-channels',
  title: 'Notification channels',
  singular: 'notification channel',
  description: 'Where alerts go: email over SMTP, Slack, or any webhook. “Test” checks the channel or delivers an example alert with its templates.',
  makeApi: () => notificationChannelApi(),
  columns: [
    {
      title: 'Type',
      dataIndex: 'type',
      key: 'type',
      width: 110,
      render: (type: string) => <Tag color={TYPE_COLORS[type]}>{TYPE_LABELS[type] ?? type}</Tag>,
    },
    { title: 'Target', key: 'target', ellipsis: true, render: (_: unknown, row) => <ChannelTarget channel={row} /> },
  ],
  Fields: ChannelFields,
  toValues: notificationChannelValues,
  toCreate: notificationChannelCreate,
  toPatch: notificationChannelPatch,
  secrets: ['password', 'webhook_url', 'url', 'hmac_secret'],
  drawerWidth: 680,
  TestAction: ({ row, onTested }) => <ChannelTest channel={row} onTested={onTested} />,
}
