import { Tag, Tooltip, Typography } from 'antd'
import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'
import type { HeldRole } from '../../api/types'
import { roleColor, roleSourceLabel } from './labels'

dayjs.extend(relativeTime)

export function When({ at, empty }: { at: string | null; empty: string }) {
  if (!at) return <Typography.Text type="secondary">{empty}</Typography.Text>
  const moment = dayjs(at)
  return (
    <Tooltip title={moment.format('YYYY-MM-DD HH:mm:ss')}>
      <span>{moment.fromNow()}</span>
    </Tooltip>
  )
}

/** A held role, coloured by where it comes from, with the source in its tooltip. */
export function RoleTag({ role }: { role: HeldRole }) {
  return (
    <Tooltip title={roleSourceLabel(role)}>
      <Tag color={roleColor(role.source)} style={{ marginInlineEnd: 0 }} data-testid={`role-tag-${role.name}`} data-source={role.source}>
        {role.name}
      </Tag>
    </Tooltip>
  )
}

export function Dash() {
  return <Typography.Text type="secondary">—</Typography.Text>
}
