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

/** Facts worth a row: nothing empty (an SMTP server offering no login methods needs no
 * `auth_methods []` row), and no exception class, which is for whoever reports a bug. */
const TECHNICAL = new Set(['error'])

export function visibleDetails(details: Record<string, unknown>): [string, unknown][] {
  return Object.entries(details).filter(
    ([key, value]) =>
      !TECHNICAL.has(key) && value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
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
  const details = visibleDetails(result.details ?? {})
  const technical = Object.entries(result.details ?? {}).filter(([key]) => TECHNICAL.has(key))
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
              items={details.map(([key, value]) => ({ key, label: key.replaceAll('_', ' '), children: renderDetail(value) }))}
            />
          )}
          {technical.length > 0 && (
            <details style={{ marginTop: 6 }} data-testid="test-result-technical">
              <summary style={{ cursor: 'pointer', fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>Details</summary>
              {technical.map(([key, value]) => (
                <Typography.Text key={key} type="secondary" style={{ fontSize: 12, display: 'block' }}>
                  {key}: <Typography.Text code style={{ fontSize: 12 }}>{String(value)}</Typography.Text>
                </Typography.Text>
              ))}
            </details>
          )}
        </>
      }
    />
  )
}
