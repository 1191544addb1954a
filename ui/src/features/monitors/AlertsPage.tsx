import { App, Button, Card, Flex, Result, Space, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { CheckCircleFilled, CheckOutlined, SyncOutlined } from '@ant-design/icons'
import dayjs from 'dayjs'
import { Link, useNavigate } from 'react-router'
import { PagedTable } from '../../components/PagedTable'
import { PageHeading } from '../../components/PageHeading'
import { useListParams } from '../../components/useListParams'
import { usePageTitle } from '../../components/PageTitle'
import { WriteAction } from '../../components/WriteAction'
import { useFailure } from './feedback'
import { ServiceSelect, SeveritySelect } from './Filters'
import { NEEDS_MONITORS_WRITE, SEVERITIES, valueText } from './format'
import { MuteControl } from './MuteControl'
import { ALERTS_REFRESH_MS, useAcknowledge, useAlerts, type AlertRow } from './queries'
import { MonitorStatus, SeverityTag } from './StateBadge'
import { RelativeTime } from '../../components/Time'
import type { Severity } from './types'
import { useMonitorAccess } from './useMonitorAccess'

const PAGE_SIZE = 50

function AcknowledgeButton({ alert, allowed }: { alert: AlertRow; allowed: boolean }) {
  const { message } = App.useApp()
  const fail = useFailure()
  const acknowledge = useAcknowledge()
  const { monitor } = alert
  return (
    <WriteAction allowed={allowed} reason={NEEDS_MONITORS_WRITE}>
      <Button
        size="small"
        icon={<CheckOutlined />}
        loading={acknowledge.isPending}
        data-testid={`acknowledge-${monitor.id}`}
        onClick={() =>
          acknowledge
            .mutateAsync(monitor.id)
            .then(() => message.success(`${monitor.name} acknowledged`))
            .catch((error: unknown) => fail(`Cannot acknowledge ${monitor.name}`, error))
        }
      >
        Acknowledge
      </Button>
    </WriteAction>
  )
}

/** Who is on it: the mute and the acknowledgement, if any. */
function Handling({ alert }: { alert: AlertRow }) {
  const { monitor } = alert
  if (!alert.muted && !alert.acknowledged) return null
  return (
    <Space size={[4, 4]} wrap>
      {alert.muted && (
        <Tag style={{ marginInlineEnd: 0 }} data-testid="alert-muted">
          muted until {dayjs(monitor.muted_until).format('MM-DD HH:mm')}
        </Tag>
      )}
      {alert.acknowledged && (
        <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="alert-acknowledged">
          acknowledged{monitor.acknowledged_by ? ` by ${monitor.acknowledged_by}` : ''}
        </Tag>
      )}
    </Space>
  )
}

export function AlertsPage() {
  usePageTitle({ title: 'Monitors', path: '/monitors' }, { title: 'Alerts' })
  const navigate = useNavigate()
  const list = useListParams(['service', 'severity'] as const)
  const access = useMonitorAccess()
  const service = list.filters.service.trim()
  const severityParam = list.filters.severity
  const severity = (SEVERITIES as readonly string[]).includes(severityParam) ? (severityParam as Severity) : undefined
  const { page, filtered } = list
  const alerts = useAlerts({ service: service || undefined, severity, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })

  // Three columns so the page fits 820 px: what state and since when, which monitor and
  // why (the reason in full, wrapping), and who is on it with what can be done.
  const columns: TableColumnsType<AlertRow> = [
    {
      title: 'State',
      key: 'state',
      width: 150,
      render: (_: unknown, { monitor }) => (
        <Space direction="vertical" size={4}>
          <Space size={6} wrap>
            <MonitorStatus monitor={monitor} />
            <SeverityTag severity={monitor.severity} />
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="alert-since">
            since <RelativeTime at={monitor.state_since} />
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: 'Monitor',
      key: 'monitor',
      render: (_: unknown, { monitor }) => (
        <div style={{ minWidth: 0 }}>
          <Link to={`/monitors/${monitor.id}`} data-testid={`alert-link-${monitor.id}`} onClick={(event) => event.stopPropagation()}>
            <Typography.Text strong style={{ color: 'inherit' }}>
              {monitor.name}
            </Typography.Text>
          </Link>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {monitor.service} · <Typography.Text code style={{ fontSize: 12 }}>{monitor.condition_text}</Typography.Text>
          </Typography.Text>
          {monitor.state === 'ERROR' ? (
            <Typography.Text type="danger" style={{ display: 'block', overflowWrap: 'anywhere' }} data-testid="alert-reason">
              {monitor.last_error ?? 'The monitor could not run.'}
            </Typography.Text>
          ) : (
            <Typography.Text style={{ display: 'block' }} data-testid="alert-reason">
              value <Typography.Text strong>{valueText({ value_text: monitor.last_value_text, value: monitor.last_value }) ?? '—'}</Typography.Text>
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: 'Handling',
      key: 'handling',
      width: 230,
      render: (_: unknown, alert) => {
        const allowed = access.canWrite(alert.monitor.service)
        return (
          <Space direction="vertical" size={6} onClick={(event) => event.stopPropagation()}>
            <Handling alert={alert} />
            <Space size={6} wrap>
              <MuteControl monitor={alert.monitor} allowed={allowed} size="small" />
              {!alert.acknowledged && <AcknowledgeButton alert={alert} allowed={allowed} />}
            </Space>
          </Space>
        )
      },
    },
  ]

  const empty = (
    <div data-testid="alerts-empty">
      <Result
        icon={<CheckCircleFilled style={{ color: '#52c41a' }} />}
        title="All clear"
        subTitle={filtered ? 'Nothing is alerting or failing for these filters.' : 'No monitor is alerting or failing right now.'}
        extra={filtered ? <Button onClick={list.clear}>Clear filters</Button> : undefined}
      />
    </div>
  )

  return (
    <div data-testid="alerts-page">
      <PageHeading
        title="Alerts"
        subtitle="What needs attention now: monitors that found dirty data or cannot run, most severe first."
        extra={
          <Typography.Text type="secondary" data-testid="alerts-refresh">
            <SyncOutlined spin={alerts.isFetching} /> Refreshes every {ALERTS_REFRESH_MS / 1000} s
            {alerts.dataUpdatedAt > 0 && ` · updated ${dayjs(alerts.dataUpdatedAt).format('HH:mm:ss')}`}
          </Typography.Text>
        }
      />
      <Card styles={{ body: { padding: 16 } }}>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <ServiceSelect value={service} onChange={(v) => list.setFilter('service', v)} services={access.serviceNames} />
          <SeveritySelect value={severity ?? ''} onChange={(v) => list.setFilter('severity', v)} />
        </Flex>
        <PagedTable<AlertRow>
          // The table greys out while loading: only for a new filter or page, not for each
          // background refresh of a page left open on a screen.
          query={{ ...alerts, isFetching: alerts.isFetching && alerts.isPlaceholderData } as typeof alerts}
          columns={columns}
          testId="alerts-table"
          rowProps={(alert) => ({
            'data-testid': `alert-row-${alert.monitor.id}`,
            style: { cursor: 'pointer' },
            onClick: () => navigate(`/monitors/${alert.monitor.id}`),
          })}
          empty={empty}
          noun={{ one: 'alert', many: 'alerts' }}
          page={page}
          pageSize={PAGE_SIZE}
          onPage={list.goToPage}
          scrollX={560}
        />
      </Card>
    </div>
  )
}
