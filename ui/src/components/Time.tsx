import { Tooltip, Typography } from 'antd'
import { formatAbsolute, formatUtc, fromNow } from './time'

/**
 * Times are shown one way everywhere: a relative time ("3 minutes ago") carries the
 * absolute one with its zone in the tooltip; an absolute time (tables of runs, events
 * and records) is the browser's local time with its zone, UTC and the relative time in
 * the tooltip.
 */
export function RelativeTime({ at, empty = '—', testId }: { at: string | null | undefined; empty?: string; testId?: string }) {
  if (!at) return <Typography.Text type="secondary">{empty}</Typography.Text>
  return (
    <Tooltip title={`${formatAbsolute(at)} (${formatUtc(at)})`}>
      <time dateTime={at} style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
        {fromNow(at)}
      </time>
    </Tooltip>
  )
}

export function AbsoluteTime({ at, testId }: { at: string; testId?: string }) {
  return (
    <Tooltip title={`${formatUtc(at)}, ${fromNow(at)}`}>
      <time dateTime={at} style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
        {formatAbsolute(at)}
      </time>
    </Tooltip>
  )
}
