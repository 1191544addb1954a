import { Space, Typography } from 'antd'
import { RelativeTime } from '../../components/Time'
import { formatMs } from './format'
import { RunStatusTag } from './RunStatusTag'
import type { RunSummary } from './types'

/** An endpoint's last run in a line: its verdict, when, and how long it took. */
export function LastRun({ run, testId }: { run: RunSummary | null; testId?: string }) {
  if (!run) return <Typography.Text type="secondary">never run</Typography.Text>
  return (
    <Space size={6} wrap>
      <RunStatusTag run={run} testId={testId} />
      <RelativeTime at={run.started_at} />
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
        {formatMs(run.duration_ms)}
      </Typography.Text>
    </Space>
  )
}
