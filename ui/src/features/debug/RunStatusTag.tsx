import { Tag, Tooltip } from 'antd'
import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons'
import { runStatusLabel } from './format'
import type { RunSummary } from './types'

/** A run's verdict: ok or failed, with what kind of answer it got; the message on hover. */
export function RunStatusTag({ run, testId, withMessage = true }: { run: RunSummary; testId?: string; withMessage?: boolean }) {
  const tag = (
    <Tag
      color={run.failed ? 'error' : 'success'}
      icon={run.failed ? <CloseCircleOutlined /> : <CheckCircleOutlined />}
      style={{ marginInlineEnd: 0 }}
      data-testid={testId}
      data-failed={run.failed}
    >
      {runStatusLabel(run)}
    </Tag>
  )
  return withMessage ? <Tooltip title={run.message}>{tag}</Tooltip> : tag
}
