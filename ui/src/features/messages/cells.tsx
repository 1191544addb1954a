import { Typography } from 'antd'
import { count } from './format'
import type { Subscription } from './types'

function Muted({ children }: { children: string }) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 'inherit' }}>
      {children}
    </Typography.Text>
  )
}

/** Where the messages come from, as one line: "orders.events @ events". */
export function TopicCell({ subscription }: { subscription: Pick<Subscription, 'topic' | 'cluster'> }) {
  return (
    <span style={{ overflowWrap: 'anywhere' }}>
      <Typography.Text code>{subscription.topic}</Typography.Text>
      <Typography.Text type="secondary"> @ {subscription.cluster}</Typography.Text>
    </span>
  )
}

export function LagText({ lag }: { lag: number | null }) {
  if (lag === null) return <Muted>—</Muted>
  return (
    <Typography.Text type={lag >= 1000 ? 'warning' : undefined} strong={lag > 0} style={{ fontSize: 'inherit' }}>
      {count(lag)}
    </Typography.Text>
  )
}
