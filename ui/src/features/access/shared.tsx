import { Tag, Tooltip, Typography } from 'antd'
import type { HeldRole } from '../../api/types'
import { roleColor, roleSourceLabel } from './labels'

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
