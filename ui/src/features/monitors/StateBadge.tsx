import { Space, Tag, Tooltip } from 'antd'
import { MutedOutlined } from '@ant-design/icons'
import { isMuted, severityColor, stateColor, stateHint, stateLabel } from './format'
import type { Monitor, MonitorState, Severity } from './types'
import { formatAbsolute } from '../../components/time'

/** A monitor's state as a coloured tag; the tooltip says what the state means. */
export function StateBadge({ state }: { state: MonitorState }) {
  return (
    <Tooltip title={stateHint(state)}>
      <Tag color={stateColor(state)} style={{ marginInlineEnd: 0, fontWeight: 600 }} data-testid="state-badge" data-state={state}>
        {stateLabel(state)}
      </Tag>
    </Tooltip>
  )
}

export function SeverityTag({ severity }: { severity: Severity }) {
  return (
    <Tag color={severityColor(severity)} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="severity-tag">
      {severity}
    </Tag>
  )
}

/** A muted bell next to the state while notifications are held back. */
export function MutedMark({ monitor }: { monitor: Pick<Monitor, 'muted_until'> }) {
  if (!isMuted(monitor)) return null
  return (
    <Tooltip title={`Muted until ${formatAbsolute(monitor.muted_until ?? '', { seconds: false })}: no notifications are sent`}>
      <MutedOutlined style={{ color: '#8c8c8c' }} data-testid="muted-mark" aria-label="Muted" />
    </Tooltip>
  )
}

/** The state badge with the muted mark, as the lists show it. */
export function MonitorStatus({ monitor }: { monitor: Pick<Monitor, 'state' | 'muted_until'> }) {
  return (
    <Space size={6} wrap={false}>
      <StateBadge state={monitor.state} />
      <MutedMark monitor={monitor} />
    </Space>
  )
}
