import { useEffect, useState } from 'react'
import { Alert, Button, Checkbox, Flex, Form, Input, Modal, Result, Typography } from 'antd'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useReplay } from './queries'
import { editing, replayBody, startingText } from './replay'
import type { MessageDetail, MessageRef, ReplayResult, Subscription } from './types'

const TOPIC = /^[A-Za-z0-9._-]{1,249}$/
const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }

interface Props {
  open: boolean
  messageRef: MessageRef
  detail: MessageDetail
  subscription: Subscription | null
  onClose: () => void
}

/** Publish a stored message again, as it was or edited, to its topic or another. */
export function ReplayModal({ open, messageRef, detail, subscription, onClose }: Props) {
  const replay = useReplay()
  const mode = editing(subscription, detail)
  const [topic, setTopic] = useState(detail.topic)
  const [edit, setEdit] = useState(false)
  const [text, setText] = useState(() => startingText(detail, mode))
  const [invalid, setInvalid] = useState<string | null>(null)
  const [done, setDone] = useState<ReplayResult | null>(null)

  useEffect(() => {
    if (!open) return
    setTopic(detail.topic)
    setEdit(false)
    setText(startingText(detail, mode))
    setInvalid(null)
    setDone(null)
    replay.reset()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on opening
  }, [open])

  const topicOk = TOPIC.test(topic.trim())
  const send = () => {
    const body = replayBody(topic, detail.topic, edit, mode, text)
    if (typeof body === 'string') {
      setInvalid(body)
      return
    }
    setInvalid(null)
    replay.mutate({ ref: messageRef, body }, { onSuccess: setDone })
  }

  const cluster = subscription?.cluster ?? 'its cluster'
  return (
    <Modal
      open={open}
      onCancel={onClose}
      destroyOnHidden
      width={720}
      title={`Replay offset ${detail.offset} of ${detail.topic}`}
      data-testid="replay-modal"
      footer={
        done ? (
          <Button type="primary" onClick={onClose} data-testid="replay-close">
            Close
          </Button>
        ) : (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="primary" danger loading={replay.isPending} disabled={!topicOk} onClick={send} data-testid="replay-confirm">
              Publish to {topic.trim() || '…'}
            </Button>
          </Flex>
        )
      }
    >
      {done ? (
        <Result
          status="success"
          title="Published"
          subTitle={
            <span data-testid="replay-result">
              To <Typography.Text code>{done.topic}</Typography.Text> at partition {done.partition}, offset {done.offset}.
            </span>
          }
        />
      ) : (
        <Flex vertical gap={12}>
          <Alert
            type="warning"
            showIcon
            message={`This publishes a new message to a topic of ${cluster}: its consumers will process it like any other.`}
            description="The key and headers are sent as stored."
          />
          {replay.isError && <ErrorAlert error={replay.error} title="Not published" testId="replay-error" />}
          <Form layout="vertical" component="div">
            <Form.Item
              label="Topic"
              validateStatus={topicOk ? undefined : 'error'}
              help={topicOk ? (topic.trim() === detail.topic ? 'The topic it was read from' : 'Another topic of the same cluster') : "Letters, digits, '.', '_' and '-'"}
            >
              <Input value={topic} onChange={(event) => setTopic(event.target.value)} style={mono} data-testid="replay-topic" />
            </Form.Item>
            <Form.Item style={{ marginBottom: edit ? 8 : 0 }}>
              <Checkbox checked={edit} onChange={(event) => setEdit(event.target.checked)} data-testid="replay-edit">
                Edit the value first
              </Checkbox>
            </Form.Item>
            {edit && (
              <Form.Item
                label={mode === 'json' ? (subscription?.message_type ? `The value, as the JSON of ${subscription.message_type}` : 'The value, as JSON') : mode === 'text' ? 'The value, as text' : 'The value, as base64'}
                validateStatus={invalid ? 'error' : undefined}
                help={invalid ?? undefined}
              >
                <Input.TextArea
                  value={text}
                  onChange={(event) => setText(event.target.value)}
                  autoSize={{ minRows: 6, maxRows: 18 }}
                  spellCheck={false}
                  style={mono}
                  data-testid="replay-value"
                />
              </Form.Item>
            )}
          </Form>
        </Flex>
      )}
    </Modal>
  )
}
