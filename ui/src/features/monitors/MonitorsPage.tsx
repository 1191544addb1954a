import { Button, Card, Empty, Flex, Input, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { PlusOutlined, SearchOutlined } from '@ant-design/icons'
import { Link, useNavigate } from 'react-router'
import { PagedTable } from '../../components/PagedTable'
import { PageHeading } from '../../components/PageHeading'
import { useListParams, useTypedFilter } from '../../components/useListParams'
import { usePageTitle } from '../../components/PageTitle'
import { WriteAction } from '../../components/WriteAction'
import { ServiceSelect, SeveritySelect, StateSelect } from './Filters'
import { FILTER_KEYS, monitorFilters, monitorQuery, NEEDS_MONITORS_WRITE, valueText } from './format'
import { useMonitors } from './queries'
import { MonitorStatus, SeverityTag } from './StateBadge'
import { RelativeTime } from '../../components/Time'
import type { Monitor } from './types'
import { useMonitorAccess } from './useMonitorAccess'
import { noWrapCell } from '../../components/noWrapCell'

const PAGE_SIZE = 25

function Dash() {
  return <Typography.Text type="secondary">—</Typography.Text>
}

// Columns size to their content: short facts never wrap, the name and the condition take
// the room that is left and wrap rather than being cut.
const columns: TableColumnsType<Monitor> = [
  { title: 'State', key: 'state', onCell: noWrapCell, render: (_: unknown, monitor) => <MonitorStatus monitor={monitor} /> },
  {
    title: 'Name',
    dataIndex: 'name',
    key: 'name',
    render: (name: string, monitor) => (
      <Link to={`/monitors/${monitor.id}`} data-testid={`monitor-link-${monitor.id}`} onClick={(event) => event.stopPropagation()}>
        <Typography.Text strong style={{ color: 'inherit', overflowWrap: 'anywhere' }}>
          {name}
        </Typography.Text>
      </Link>
    ),
  },
  { title: 'Service', dataIndex: 'service', key: 'service', onCell: noWrapCell },
  { title: 'Severity', dataIndex: 'severity', key: 'severity', render: (severity: Monitor['severity']) => <SeverityTag severity={severity} /> },
  {
    title: 'Type',
    dataIndex: 'type',
    key: 'type',
    render: (type: Monitor['type']) => <Typography.Text type="secondary">{type.toUpperCase()}</Typography.Text>,
  },
  {
    title: 'Condition',
    dataIndex: 'condition_text',
    key: 'condition',
    render: (text: string) => <Typography.Text code style={{ overflowWrap: 'anywhere' }}>{text}</Typography.Text>,
  },
  {
    title: 'Last value',
    key: 'value',
    onCell: noWrapCell,
    render: (_: unknown, monitor) => {
      const text = valueText({ value_text: monitor.last_value_text, value: monitor.last_value })
      return text == null ? <Dash /> : <Typography.Text strong>{text}</Typography.Text>
    },
  },
  { title: 'Last run', dataIndex: 'last_run_at', key: 'last_run', onCell: noWrapCell, render: (at: string | null) => <RelativeTime at={at} empty="never" /> },
  {
    title: 'Next run',
    dataIndex: 'next_run_at',
    key: 'next_run',
    onCell: noWrapCell,
    render: (at: string | null, monitor) => (monitor.enabled ? <RelativeTime at={at} /> : <Typography.Text type="secondary">paused</Typography.Text>),
  },
]

/** What a monitor is, for the first visit: the list is empty and the page must explain itself. */
function NoMonitorsYet({ canCreate, onCreate }: { canCreate: boolean; onCreate: () => void }) {
  return (
    <Empty
      data-testid="monitors-empty"
      description={
        <div style={{ maxWidth: 520, margin: '0 auto' }}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            No monitors yet
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            A monitor runs an SQL query against a service's database, or calls one of its HTTP endpoints, on a schedule.
            Every result is kept; when it crosses your threshold — dirty data — the subscribers are alerted by email and
            Slack, and told again when it recovers.
          </Typography.Paragraph>
        </div>
      }
    >
      <WriteAction allowed={canCreate} reason={NEEDS_MONITORS_WRITE}>
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="empty-new-monitor">
          Create the first monitor
        </Button>
      </WriteAction>
    </Empty>
  )
}

export function MonitorsPage() {
  usePageTitle({ title: 'Monitors', path: '/monitors' })
  const list = useListParams(FILTER_KEYS)
  const navigate = useNavigate()
  const access = useMonitorAccess()
  const filters = monitorFilters(list.params)
  const [qInput, setQInput] = useTypedFilter(list, 'q')
  const { page, goToPage, setFilter, filtered } = list
  const monitors = useMonitors(monitorQuery(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE))

  const clearFilters = () => {
    setQInput('')
    list.clear()
  }

  const create = () => navigate('/monitors/new')
  const empty = filtered ? (
    <Empty description="No monitor matches these filters." data-testid="monitors-empty-filtered">
      <Button onClick={clearFilters}>Clear filters</Button>
    </Empty>
  ) : (
    <NoMonitorsYet canCreate={access.canWriteAny} onCreate={create} />
  )

  return (
    <div data-testid="monitors-page">
      <PageHeading
        title="Data monitors"
        subtitle="Scheduled SQL and HTTP checks over the services' data; each one alerts its subscribers when it finds dirty data."
        extra={
          <WriteAction allowed={access.canWriteAny} reason={NEEDS_MONITORS_WRITE}>
            <Button type="primary" icon={<PlusOutlined />} onClick={create} data-testid="new-monitor">
              New monitor
            </Button>
          </WriteAction>
        }
      />
      <Card styles={{ body: { padding: 16 } }}>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input
            allowClear
            prefix={<SearchOutlined aria-hidden />}
            placeholder="Search name or description"
            aria-label="Search monitors"
            value={qInput}
            onChange={(event) => setQInput(event.target.value)}
            style={{ width: 280, maxWidth: '100%' }}
            data-testid="monitor-search"
          />
          <ServiceSelect value={filters.service} onChange={(v) => setFilter('service', v)} services={access.serviceNames} />
          <StateSelect value={filters.state} onChange={(v) => setFilter('state', v)} />
          <SeveritySelect value={filters.severity} onChange={(v) => setFilter('severity', v)} />
          {filtered && (
            <Button type="link" onClick={clearFilters} data-testid="monitors-clear-filters">
              Clear filters
            </Button>
          )}
        </Flex>
        <PagedTable<Monitor>
          query={monitors}
          columns={columns}
          testId="monitors-table"
          rowProps={(monitor) => ({
            'data-testid': `monitor-row-${monitor.id}`,
            style: { cursor: 'pointer' },
            onClick: () => navigate(`/monitors/${monitor.id}`),
          })}
          empty={empty}
          noun={{ one: 'monitor', many: 'monitors' }}
          page={page}
          pageSize={PAGE_SIZE}
          onPage={goToPage}
          scrollX={900}
        />
      </Card>
    </div>
  )
}
