import { Card, Col, Form, InputNumber, Row, Select, Space, Switch, Typography } from 'antd'
import { ApiOutlined, MailOutlined, SlackOutlined } from '@ant-design/icons'
import type { ReactNode } from 'react'
import type { MonitorFormValues } from './formValues'
import { useChannelOptions } from './queries'

const TYPE_ICONS: Record<string, ReactNode> = { email: <MailOutlined />, slack: <SlackOutlined />, webhook: <ApiOutlined /> }
const EMAIL = /^[^@\s]+@[^@\s]+$/

/** Who hears about state changes: channels, extra addresses, errors too, reminders. */
export function NotifySection() {
  const form = Form.useFormInstance<MonitorFormValues>()
  const channels = useChannelOptions()
  const chosen = (Form.useWatch(['notify', 'channels'], form) ?? []) as string[]
  const items = channels.data?.items ?? []
  const typeOf = (name: string) => items.find((item) => item.name === name)?.type
  const hasEmailChannel = chosen.some((name) => typeOf(name) === 'email')
  return (
    <Card title="Notifications" size="small" data-testid="section-notify">
      <Form.Item
        label="Channels"
        name={['notify', 'channels']}
        extra={
          channels.isError
            ? 'Cannot list the channels (you may lack catalog read): type their names.'
            : 'Alerts, errors and recoveries go to every channel chosen here.'
        }
      >
        <Select
          mode={channels.isError ? 'tags' : 'multiple'}
          placeholder="Choose notification channels"
          loading={channels.isPending}
          optionLabelProp="label"
          options={items.map((item) => ({
            value: item.name,
            label: (
              <Space size={6}>
                {TYPE_ICONS[item.type]}
                {item.name}
              </Space>
            ),
          }))}
          data-testid="notify-channels"
        />
      </Form.Item>
      <Form.Item
        label="Extra email addresses"
        name={['notify', 'emails']}
        dependencies={[['notify', 'channels']]}
        extra="Added to the recipients of the email channels chosen above."
        rules={[
          {
            validator: (_, emails: string[] | undefined) => {
              const bad = (emails ?? []).find((email) => !EMAIL.test(email.trim()))
              if (bad) return Promise.reject(new Error(`“${bad}” is not an email address`))
              if ((emails ?? []).length > 0 && !hasEmailChannel && !channels.isError) {
                return Promise.reject(new Error('Choose an email channel above to send to these addresses'))
              }
              return Promise.resolve()
            },
          },
        ]}
      >
        <Select mode="tags" tokenSeparators={[',', ' ', ';']} open={false} suffixIcon={null} placeholder="oncall@example.com" data-testid="notify-emails" />
      </Form.Item>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item label="Alert on errors" name={['notify', 'on_error']} valuePropName="checked" extra="Also notify when the check itself fails (ERROR).">
            <Switch data-testid="notify-on-error" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            label="Remind every"
            name={['notify', 'renotify_minutes']}
            extra={<Typography.Text type="secondary">While still alerting; blank: no reminders.</Typography.Text>}
          >
            <InputNumber min={1} max={10080} addonAfter="minutes" placeholder="never" style={{ width: 200 }} data-testid="notify-renotify" />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  )
}
