import { Alert, Descriptions, Typography } from 'antd'
import type { TestResult } from '../../../api/types'

function renderDetail(value: unknown) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return <Typography.Text style={{ wordBreak: 'break-word' }}>{String(value)}</Typography.Text>
  }
  return (
    <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {JSON.stringify(value)}
    </Typography.Text>
  )
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return ''
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

interface Props {
  result: TestResult
  onClose?: () => void
  /** Headings for other kinds of test (e.g. a test alert sent through a channel). */
  okTitle?: string
  failTitle?: string
}

/** A connection test: success with its latency, or the failure message, plus the details. */
export function TestResultView({ result, onClose, okTitle = 'Connection OK', failTitle = 'Connection failed' }: Props) {
  const details = Object.entries(result.details ?? {})
  const latency = formatLatency(result.latency_ms)
  return (
    <Alert
      type={result.ok ? 'success' : 'error'}
      showIcon
      closable={Boolean(onClose)}
      onClose={onClose}
      data-testid="test-result"
      data-ok={result.ok ? 'true' : 'false'}
      message={
        <Typography.Text strong>
          {result.ok ? `${okTitle}${latency ? ` · ${latency}` : ''}` : failTitle}
        </Typography.Text>
      }
      description={
        <>
          <div data-testid="test-result-message" style={{ wordBreak: 'break-word' }}>{result.message}</div>
          {details.length > 0 && (
            <Descriptions
              size="small"
              column={1}
              bordered
              style={{ marginTop: 8, background: 'rgba(255,255,255,0.6)' }}
              items={details.map(([key, value]) => ({ key, label: key, children: renderDetail(value) }))}
            />
          )}
        </>
      }
    />
  )
}
