import { Tooltip, Typography } from 'antd'
import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'

dayjs.extend(relativeTime)

export const ABSOLUTE = 'YYYY-MM-DD HH:mm:ss'

/** "3 minutes ago" / "in 5 minutes", the exact time in the tooltip; a dash when there is no time. */
export function RelativeTime({ at, empty = '—', testId }: { at: string | null | undefined; empty?: string; testId?: string }) {
  if (!at) return <Typography.Text type="secondary">{empty}</Typography.Text>
  const moment = dayjs(at)
  return (
    <Tooltip title={moment.format(ABSOLUTE)}>
      <span style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
        {moment.fromNow()}
      </span>
    </Tooltip>
  )
}

/** The exact time, the relative one in the tooltip (for tables of runs and events). */
export function AbsoluteTime({ at }: { at: string }) {
  const moment = dayjs(at)
  return (
    <Tooltip title={moment.fromNow()}>
      <span style={{ whiteSpace: 'nowrap' }}>{moment.format(ABSOLUTE)}</span>
    </Tooltip>
  )
}
