import { Alert, Space, Typography } from 'antd'
import { OUTCOME_LABELS, prettyJsonText } from './format'
import { JsonBlock } from './JsonBlock'
import type { RunRead } from './types'

/** Why the answer is shown raw, when that is the whole story (it was no trace). */
function OutcomeNote({ run }: { run: RunRead }) {
  switch (run.outcome) {
    case 'json':
      return <Alert type="info" showIcon message="The answer is JSON, but not a trace: it is shown as it came." />
    case 'invalid_trace':
      return (
        <Alert
          type="warning"
          showIcon
          message="The answer means to be a trace, but breaks the format"
          description={
            <>
              It breaks at <Typography.Text code data-testid="debug-invalid-at">{run.invalid_at ?? '(the top)'}</Typography.Text>. See{' '}
              <Typography.Link href="/api/v1/debug/trace-schema" target="_blank" rel="noreferrer">
                the trace format
              </Typography.Link>
              .
            </>
          }
        />
      )
    case 'not_json':
      return <Alert type="warning" showIcon message="The answer is not JSON." />
    case 'call_failed':
      return <Alert type="error" showIcon message="There was no answer" description={run.message} />
    case 'trace':
      return null
  }
}

/** The answer as received: its content type, indented when it is JSON, and whether it was cut. */
export function RawResponse({ run }: { run: RunRead }) {
  const pretty = run.body === null ? null : prettyJsonText(run.body)
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="debug-raw">
      <OutcomeNote run={run} />
      {run.body_truncated && (
        <Alert type="warning" showIcon message="The answer was larger than the size limit and was cut there: what follows is its beginning." />
      )}
      {run.body !== null && (
        <>
          <Typography.Text type="secondary">
            Content type: <Typography.Text code>{run.content_type ?? 'none given'}</Typography.Text>
            {run.outcome !== 'trace' && <> · read as {OUTCOME_LABELS[run.outcome]}</>}
          </Typography.Text>
          <JsonBlock testId="debug-raw-body">{pretty ?? (run.body || '(empty)')}</JsonBlock>
        </>
      )}
    </Space>
  )
}
