import { Tag, Typography } from 'antd'
import { count } from './format'

const COLORS = { dead: 'red', retry: 'orange', unreachable: 'volcano' } as const

/** A count that needs attention stands out; zero and "not kept" stay quiet. */
export function CountTag({ value, kind, testId }: { value: number | null | undefined; kind: keyof typeof COLORS; testId?: string }) {
  if (!value) return <Typography.Text type="secondary" data-testid={testId}>{count(value)}</Typography.Text>
  return (
    <Tag color={COLORS[kind]} style={{ marginInlineEnd: 0 }} data-testid={testId}>
      {count(value)}
    </Tag>
  )
}
