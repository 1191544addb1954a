import { useState } from 'react'
import { Button, Form, Modal, Select, Typography } from 'antd'
import { SendOutlined } from '@ant-design/icons'
import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '../../../../api/client'
import type { NotificationChannel } from '../../../../api/types'
import { ErrorAlert } from '../../../../components/ErrorAlert'
import { WriteAction } from '../../../../components/WriteAction'
import { NEEDS_CATALOG_WRITE_EVERYWHERE } from '../../../auth/permissions'
import { usePermissions } from '../../../auth/queries'
import { TestResultView } from '../TestResultView'

const EMAIL = /^[^@\s]+@[^@\s]+$/

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
 * "Send test" on a saved channel: an example alert rendered with the channel's own
 * templates and really delivered, so the wording and the route are proven together.
 */
export function ChannelSendTest({ channel }: { channel: NotificationChannel }) {
  const [open, setOpen] = useState(false)
  const [form] = Form.useForm<{ to: string[] }>()
  const allowed = usePermissions().can('catalog', 'write')
  const recipients = channel.type === 'email' ? (channel.recipients ?? []) : []
  const send = useMutation({ mutationFn: (to: string[] | null) => sendTest(channel.id, to) })

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
  }

  return (
    <>
      <WriteAction allowed={allowed} reason={NEEDS_CATALOG_WRITE_EVERYWHERE}>
        <Button size="small" icon={<SendOutlined />} onClick={() => setOpen(true)} data-testid={`send-test-${channel.name}`}>
          Send test
        </Button>
      </WriteAction>
      <Modal
        open={open}
        onCancel={close}
        title={`Send a test alert through ${channel.name}`}
        destroyOnHidden
        width={560}
        footer={[
          <Button key="close" onClick={close}>
            Close
          </Button>,
          <Button key="send" type="primary" icon={<SendOutlined />} loading={send.isPending} onClick={() => void onSend()} data-testid="send-test-submit">
            {send.data ? 'Send again' : 'Send test'}
          </Button>,
        ]}
      >
        <div data-testid="send-test-modal">
          <Typography.Paragraph>
            Gyrfalcon renders an example alert (monitor <Typography.Text code>unpaid-orders</Typography.Text> of service{' '}
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
          {send.data && <TestResultView result={send.data} okTitle="Test alert delivered" failTitle="Delivery failed" />}
          {send.isError && <ErrorAlert error={send.error} title="The test could not be sent" testId="send-test-error" />}
        </div>
      </Modal>
    </>
  )
}
