import { Flex, Tag, Tooltip, Typography } from 'antd'
import { STATE_COLORS, STATE_HINTS, STATE_LABELS } from './format'
import type { SubscriptionStatus } from './types'

/** A consumer's state as a coloured tag; an error says why in its tooltip. */
export function StatusBadge({ status }: { status: SubscriptionStatus }) {
  const hint = status.state === 'error' && status.error ? status.error : STATE_HINTS[status.state]
  return (
    <Tooltip title={hint}>
      <Tag color={STATE_COLORS[status.state]} style={{ marginInlineEnd: 0, fontWeight: 600 }} data-testid="subscription-state" data-state={status.state}>
        {STATE_LABELS[status.state]}
      </Tag>
    </Tooltip>
  )
}

/** The badge with the error on a line under it, as the lists show it. */
export function StatusCell({ status }: { status: SubscriptionStatus }) {
  return (
    <Flex vertical gap={2} align="flex-start">
      <StatusBadge status={status} />
      {status.state === 'error' && status.error && (
        <Typography.Text type="danger" style={{ fontSize: 12, overflowWrap: 'anywhere', maxWidth: 360 }} data-testid="subscription-error">
          {status.error}
        </Typography.Text>
      )}
    </Flex>
  )
}
