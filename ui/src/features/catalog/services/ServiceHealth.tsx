import { Space, Tag, Tooltip, Typography } from 'antd'
import { Link } from 'react-router'
import type { Service } from '../../../api/types'

const SIGNAL_COLORS: Record<string, string> = { critical: 'red', warning: 'orange', info: 'blue', error: 'volcano' }

/** Whether the service's connections pass their last tests: Failing (with which and
 * why in the tooltip), OK, or Untested. */
export function HealthTag({ health }: { health: Service['health'] }) {
  if (health.state === 'failing') {
    const reasons = health.failing.map((item) => `${item.name}: ${item.message}`).join('\n')
    return (
      <Tooltip title={<span style={{ whiteSpace: 'pre-line' }}>{reasons}</span>}>
        <Tag color="red" style={{ marginInlineEnd: 0 }} data-testid="health-tag" data-state="failing">
          {health.failing.length} failing
        </Tag>
      </Tooltip>
    )
  }
  if (health.state === 'ok') {
    return (
      <Tooltip title={`Every tested connection passed its last test (${health.passing}).`}>
        <Tag color="green" style={{ marginInlineEnd: 0 }} data-testid="health-tag" data-state="ok">
          OK
        </Tag>
      </Tooltip>
    )
  }
  return (
    <Tooltip title="No connection has been tested yet.">
      <Tag style={{ marginInlineEnd: 0 }} data-testid="health-tag" data-state="untested">
        Untested
      </Tag>
    </Tooltip>
  )
}

/** What other modules report of the service (monitors alerting...), each a link. */
export function SignalTags({ signals }: { signals: Service['signals'] }) {
  if (signals.length === 0) return null
  return (
    <Space size={[4, 4]} wrap>
      {signals.map((signal) => (
        <Link key={`${signal.module}-${signal.text}`} to={signal.link}>
          <Tag color={SIGNAL_COLORS[signal.severity]} style={{ marginInlineEnd: 0 }} data-testid="signal-tag">
            {signal.text}
          </Tag>
        </Link>
      ))}
    </Space>
  )
}

export function ServiceHealth({ service }: { service: Pick<Service, 'health' | 'signals'> }) {
  return (
    <Space size={[4, 4]} wrap>
      <HealthTag health={service.health} />
      <SignalTags signals={service.signals} />
      {service.health.state !== 'failing' && service.signals.length === 0 && service.health.untested > 0 && service.health.passing > 0 && (
        <Typography.Text type="secondary">{service.health.untested} untested</Typography.Text>
      )}
    </Space>
  )
}
