import { useState } from 'react'
import { Button, Form, Modal, Select, Typography } from 'antd'
import { SendOutlined, ThunderboltOutlined } from '@ant-design/icons'
import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '../../../../api/client'
import type { NotificationChannel } from '../../../../api/types'
import { ErrorAlert } from '../../../../components/ErrorAlert'
import { WriteAction } from '../../../../components/WriteAction'
import { NEEDS_CATALOG_WRITE_EVERYWHERE } from '../../../auth/permissions'
import { usePermissions } from '../../../auth/queries'
import { TestResultView } from '../TestResultView'

const EMAIL = /^[^@\s]+@[^@\s]+$/

function checkChannel(channelId: number) {
  return unwrap(
    api.POST('/api/v1/notification-channels/{connection_id}/test', { params: { path: { connection_id: channelId } } }),
  )
}

/** What "check" does per type: an SMTP session that sends nothing, or a test message. */
function checkWording(channel: NotificationChannel): string {
  return channel.type === 'email' ? 'Check the server (sends no mail)' : 'Post a test message'
}

function sendTest(channelId: number, to: string[] | null) {
  return unwrap(
    api.POST('/api/v1/notification-channels/{channel_id}/send-test', {
      params: { path: { channel_id: channelId } },
      body: to ? { to } : undefined,
    }),
  )
}

/** Where the test goes, in words. */
function destination(channel: NotificationChannel): string {
  switch (channel.type) {
    case 'email':
      return 'to the addresses below'
    case 'slack':
      return 'to the channel’s Slack webhook'
    case 'webhook':
      return 'as a JSON POST to the channel’s URL'
  }
}

/**
 * The one "Test" of a saved channel. It checks the channel (the kept last test: an SMTP
 * session that stops before sending, or a labelled test message) or sends an example
 * alert rendered with the channel's own templates, so wording and route are proven
 * together.
 */
export function ChannelTest({ channel, onTested }: { channel: NotificationChannel; onTested: () => void }) {
  const [open, setOpen] = useState(false)
  const [form] = Form.useForm<{ to: string[] }>()
  const allowed = usePermissions().can('catalog', 'write')
  const recipients = channel.type === 'email' ? (channel.recipients ?? []) : []
  const send = useMutation({ mutationFn: (to: string[] | null) => sendTest(channel.id, to) })
  const check = useMutation({ mutationFn: () => checkChannel(channel.id), onSettled: onTested })

  const onSend = async () => {
    let to: string[] | null = null
    if (channel.type === 'email') {
      try {
        to = (await form.validateFields()).to.map((address) => address.trim())
      } catch {
        return
      }
    }
    send.mutate(to)
  }

  const close = () => {
    setOpen(false)
    send.reset()
    check.reset()
  }

  return (
    <>
      <WriteAction allowed={allowed} reason={NEEDS_CATALOG_WRITE_EVERYWHERE}>
        <Button size="small" icon={<ThunderboltOutlined />} onClick={() => setOpen(true)} data-testid={`test-connection-${channel.name}`}>
          Test
        </Button>
      </WriteAction>
      <Modal
        open={open}
        onCancel={close}
        title={`Test ${channel.name}`}
        destroyOnHidden
        width={560}
        footer={[
          <Button key="close" onClick={close}>
            Close
          </Button>,
          <Button key="check" icon={<ThunderboltOutlined />} loading={check.isPending} onClick={() => check.mutate()} data-testid="check-channel">
            {checkWording(channel)}
          </Button>,
          <Button key="send" type="primary" icon={<SendOutlined />} loading={send.isPending} onClick={() => void onSend()} data-testid="send-test-submit">
            {send.data ? 'Send again' : 'Send test alert'}
          </Button>,
        ]}
      >
        <div data-testid="send-test-modal">
          <Typography.Paragraph>
            <Typography.Text strong>{checkWording(channel)}</Typography.Text> proves Gyrfalcon reaches the channel.{' '}
            <Typography.Text strong>Send test alert</Typography.Text> renders an example alert (monitor <Typography.Text code>unpaid-orders</Typography.Text> of service{' '}
            <Typography.Text code>orders</Typography.Text>, ALERTING) with this channel’s templates and delivers it for real,{' '}
            {destination(channel)}.
          </Typography.Paragraph>
          {channel.type === 'email' && (
            <Form form={form} layout="vertical" initialValues={{ to: recipients }}>
              <Form.Item
                label="Send to"
                name="to"
                extra={recipients.length ? 'The channel’s recipients; change them for this test only.' : 'The channel has no recipients: give at least one address.'}
                rules={[
                  { required: true, type: 'array', min: 1, message: 'Give at least one address' },
                  {
                    validator: (_, to: string[] | undefined) => {
                      const bad = (to ?? []).find((address) => !EMAIL.test(address.trim()))
                      return bad ? Promise.reject(new Error(`“${bad}” is not an email address`)) : Promise.resolve()
                    },
                  },
                ]}
              >
                <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ', ';']} placeholder="you@example.com" data-testid="send-test-to" />
              </Form.Item>
            </Form>
          )}
          {check.data && <TestResultView result={check.data} okTitle="Channel OK" failTitle="Channel check failed" />}
          {check.isError && <ErrorAlert error={check.error} title="The check could not run" testId="check-channel-error" />}
          {send.data && <TestResultView result={send.data} okTitle="Test alert delivered" failTitle="Delivery failed" />}
          {send.isError && <ErrorAlert error={send.error} title="The test could not be sent" testId="send-test-error" />}
        </div>
      </Modal>
    </>
  )
}
