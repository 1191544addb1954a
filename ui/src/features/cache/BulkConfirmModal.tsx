import { Alert, Flex, InputNumber, Modal, Space, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { ErrorAlert } from '../../components/ErrorAlert'
import { MONO, count } from './format'

interface Props {
  open: boolean
  /** What the dry run counted. */
  matched: number
  /** The dry run counted every key (not stopped early). */
  complete: boolean
  /** The pattern as the user sees it, prefix included. */
  shownPattern: string
  starting: boolean
  error: unknown
  onStart: (maxKeys: number) => void
  onCancel: () => void
}

/** The confirm step of a bulk delete: how many keys, of which pattern, and the maximum
 * the job may delete before it stops. */
export function BulkConfirmModal({ open, matched, complete, shownPattern, starting, error, onStart, onCancel }: Props) {
  const [maxKeys, setMaxKeys] = useState<number | null>(matched)
  useEffect(() => {
    if (open) setMaxKeys(matched)
  }, [open, matched])
  return (
    <Modal
      open={open}
      title={`Delete ${count(matched)} keys?`}
      okText={`Start deleting`}
      okButtonProps={{ danger: true, disabled: !maxKeys, ...{ 'data-testid': 'bulk-start' } }}
      confirmLoading={starting}
      onOk={() => maxKeys && onStart(maxKeys)}
      onCancel={onCancel}
      width="min(560px, calc(100vw - 32px))"
      destroyOnHidden
      data-testid="bulk-confirm"
    >
      <Flex vertical gap={12}>
        <Typography.Paragraph style={{ margin: 0 }} data-testid="bulk-confirm-question">
          Delete {count(matched)} keys matching{' '}
          <Typography.Text code style={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>
            {shownPattern}
          </Typography.Text>
          ?
        </Typography.Paragraph>
        {!complete && <Alert type="warning" showIcon message="The dry run was stopped before the end: more keys may match than it counted." />}
        <Flex vertical gap={4}>
          <label htmlFor="bulk-max-keys">
            <Typography.Text strong>Delete at most</Typography.Text>
          </label>
          <Space.Compact style={{ width: 220 }}>
            <InputNumber<number>
              id="bulk-max-keys"
              min={1}
              max={1_000_000_000_000}
              precision={0}
              value={maxKeys}
              onChange={setMaxKeys}
              style={{ width: '100%' }}
              data-testid="bulk-max-keys"
            />
            <Space.Addon>keys</Space.Addon>
          </Space.Compact>
          <Typography.Text type="secondary">
            The job stops as partial once it has deleted this many, so keys written since the dry run never make it delete more than you agreed to. Leave some room if the
            service keeps writing such keys; you can resume a stopped job with a larger maximum.
          </Typography.Text>
        </Flex>
        <Typography.Text type="secondary">
          A background worker deletes them in batches (SCAN and UNLINK, which frees memory without blocking Redis). It cannot be undone.
        </Typography.Text>
        {error != null && <ErrorAlert error={error} title="Not started" testId="bulk-start-error" />}
      </Flex>
    </Modal>
  )
}
