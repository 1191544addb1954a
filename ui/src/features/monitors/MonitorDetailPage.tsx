import { useCallback } from 'react'
import { Alert, Card, Col, Result, Row, Skeleton, Space, Tag, Typography } from 'antd'
import dayjs from 'dayjs'
import { Link, useParams, useSearchParams } from 'react-router'
import { ApiError } from '../../api/errors'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { AlertTimeline } from './AlertTimeline'
import { fittingRange, isRangeKey, type RangeKey } from './chart'
import { DefinitionCard } from './DefinitionCard'
import { isMuted, stateLabel } from './format'
import { MonitorActions, RunNowButton } from './MonitorActions'
import { useMonitor } from './queries'
import { RunHistory } from './RunHistory'
import { MutedMark, SeverityTag, StateBadge } from './StateBadge'
import { RelativeTime } from '../../components/Time'
import type { Monitor } from './types'
import { useMonitorAccess } from './useMonitorAccess'
import { ValueChart } from './ValueChart'
import { QueryError } from '../../components/QueryError'
import { formatAbsolute } from '../../components/time'

/** The line under the title: service, severity, how long in this state, and mute / acknowledgement. */
function Subtitle({ monitor }: { monitor: Monitor }) {
  return (
    <Space size={[12, 4]} wrap data-testid="monitor-subtitle">
      <span>
        Service{' '}
        <Link to={`/catalog/services/${encodeURIComponent(monitor.service)}`} data-testid="monitor-service-link">
          {monitor.service}
        </Link>
      </span>
      <SeverityTag severity={monitor.severity} />
      <span>
        {stateLabel(monitor.state)} since <RelativeTime at={monitor.state_since} testId="state-since" />
        {monitor.failing_streak > 0 && ` · ${monitor.failing_streak} failing run${monitor.failing_streak === 1 ? '' : 's'} in a row`}
      </span>
      {!monitor.enabled && <Tag style={{ marginInlineEnd: 0 }}>disabled</Tag>}
      {isMuted(monitor) && (
        <Tag color="default" style={{ marginInlineEnd: 0 }} data-testid="muted-tag">
          muted until {formatAbsolute(monitor.muted_until ?? '', { seconds: false })}
        </Tag>
      )}
      {monitor.acknowledged_at && (
        <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="acknowledged-tag">
          acknowledged{monitor.acknowledged_by ? ` by ${monitor.acknowledged_by}` : ''} {dayjs(monitor.acknowledged_at).fromNow()}
        </Tag>
      )}
    </Space>
  )
}

function NotFound({ id }: { id: string }) {
  return (
    <div data-testid="monitor-not-found">
      <Result
        status="404"
        title="Monitor not found"
        subTitle={`There is no monitor ${id} you may read; it may have been deleted.`}
        extra={<Link to="/monitors">Back to the monitors</Link>}
      />
    </div>
  )
}

export function MonitorDetailPage() {
  const { id = '' } = useParams()
  const monitorId = /^\d+$/.test(id) ? Number(id) : null
  const monitor = useMonitor(monitorId)
  const { refetch } = monitor
  const refreshMonitor = useCallback(() => void refetch(), [refetch])
  const access = useMonitorAccess()
  const [params, setParams] = useSearchParams()
  const rangeParam = params.get('range')
  const range: RangeKey = isRangeKey(rangeParam) ? rangeParam : monitor.data ? fittingRange(monitor.data.created_at) : '24h'
  usePageTitle({ title: 'Monitors', path: '/monitors' }, { title: monitor.data?.name ?? `Monitor ${id}` })

  const setRange = (next: RangeKey) =>
    setParams(
      (previous) => {
        const search = new URLSearchParams(previous)
        search.set('range', next)
        return search
      },
      { replace: true },
    )

  if (monitorId === null || (monitor.isError && monitor.error instanceof ApiError && monitor.error.status === 404)) {
    return <NotFound id={id} />
  }
  if (monitor.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  }
  if (monitor.isError) {
    return <QueryError query={monitor} title="Cannot load the monitor" />
  }

  const data = monitor.data
  const canWrite = access.canWrite(data.service)
  return (
    <div data-testid="monitor-detail" data-state={data.state}>
      <PageHeading
        title={
          <Space size={10} wrap align="center">
            <span data-testid="monitor-title">{data.name}</span>
            <StateBadge state={data.state} />
            <MutedMark monitor={data} />
          </Space>
        }
        subtitle={<Subtitle monitor={data} />}
        extra={<MonitorActions monitor={data} canWrite={canWrite} canSeeHistory={access.canSeeHistory(data.service)} />}
      />
      {data.last_error && (
        <Alert
          type={data.state === 'ERROR' ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="monitor-last-error"
          message={data.state === 'ERROR' ? 'The check cannot run' : 'The last run failed'}
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{data.last_error}</span>}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title="Value over time" data-testid="chart-card" style={{ height: '100%' }}>
            <ValueChart monitor={data} range={range} onRange={setRange} runNow={<RunNowButton monitor={data} allowed={canWrite} />} />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title="Definition" style={{ height: '100%' }}>
            <DefinitionCard monitor={data} />
          </Card>
        </Col>
        <Col span={24}>
          <Card
            title="Run history"
            extra={<Typography.Text type="secondary">Click a run to see the rows or response it saw</Typography.Text>}
            styles={{ body: { padding: 0 } }}
          >
            <RunHistory monitorId={data.id} lastRunAt={data.last_run_at} onNewerRun={refreshMonitor} />
          </Card>
        </Col>
        <Col span={24}>
          <Card title="Alert timeline" extra={<Typography.Text type="secondary">State changes and every notification sent</Typography.Text>}>
            <AlertTimeline monitorId={data.id} />
          </Card>
        </Col>
      </Row>
    </div>
  )
}

