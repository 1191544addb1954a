import { Typography } from 'antd'
import { AbsoluteTime } from '../../components/Time'
import { Facts, type Fact } from './Facts'
import { MONO, formatMs } from './format'
import { MethodPath } from './MethodPath'
import { RunStatusTag } from './RunStatusTag'
import type { RunRead, RunSummary } from './types'

function isRead(run: RunSummary | RunRead): run is RunRead {
  return 'parameters' in run
}

function spanCounts(run: RunSummary): string {
  if (run.span_count === 0) return '—'
  return run.failed_spans ? `${run.failed_spans} of ${run.span_count} failed` : `${run.span_count}, all ok`
}

function facts(run: RunSummary | RunRead): Fact[] {
  const serviceMs = isRead(run) ? run.trace?.duration_ms : undefined
  const found: Fact[] = [
    { key: 'http', label: 'HTTP status', value: run.http_status ?? '—' },
    {
      key: 'time',
      label: 'Total time',
      value: (
        <span data-testid="debug-run-duration">
          {formatMs(run.duration_ms)}
          {serviceMs !== undefined && <Typography.Text type="secondary"> ({formatMs(serviceMs)} in the service)</Typography.Text>}
        </span>
      ),
    },
    { key: 'spans', label: 'Spans', value: spanCounts(run) },
    { key: 'run', label: `Run #${run.id} by ${run.actor}`, value: <AbsoluteTime at={run.started_at} /> },
    { key: 'request', label: 'Request', value: <MethodPath method={run.method} path={run.path} /> },
  ]
  if (isRead(run) && Object.keys(run.parameters).length > 0) {
    found.push({
      key: 'parameters',
      label: 'Parameters',
      value: (
        <Typography.Text style={{ fontFamily: MONO, fontSize: 12 }} data-testid="debug-run-parameters">
          {JSON.stringify(run.parameters)}
        </Typography.Text>
      ),
    })
  }
  return found
}

/** What a run was and how it went: its verdict, HTTP status, time, who ran it, when. */
export function RunHeader({ run, testId = 'debug-run-status' }: { run: RunSummary | RunRead; testId?: string }) {
  return (
    <div data-testid="debug-run-header">
      <Typography.Paragraph style={{ marginBottom: 12 }}>
        <RunStatusTag run={run} testId={testId} withMessage={false} />{' '}
        <Typography.Text data-testid="debug-run-message">{run.message}</Typography.Text>
      </Typography.Paragraph>
      <Facts facts={facts(run)} />
    </div>
  )
}
