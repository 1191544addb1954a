import { Card, Empty, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { Link } from 'react-router'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { useAutoRefresh } from './AutoRefresh'
import { CountTag } from './CountTag'
import { NOT_NARROW, jobsPath } from './format'
import { useJobsOverview } from './queries'
import type { FailureCounts } from './types'

const columns: TableColumnsType<FailureCounts> = [
  {
    title: 'Service',
    dataIndex: 'service',
    key: 'service',
    render: (service: string) => (
      <Link to={jobsPath(service)} data-testid={`jobs-service-${service}`}>
        <Typography.Text strong style={{ color: 'inherit' }}>
          {service}
        </Typography.Text>
      </Link>
    ),
  },
  { title: 'Team', dataIndex: 'team', key: 'team', responsive: NOT_NARROW, render: (team: string | null) => team ?? <Typography.Text type="secondary">—</Typography.Text> },
  { title: 'Backends', dataIndex: 'backends', key: 'backends', responsive: NOT_NARROW, onCell: noWrapCell },
  {
    title: 'Dead',
    key: 'dead',
    onCell: noWrapCell,
    sorter: (a, b) => a.dead - b.dead,
    render: (_: unknown, row) => <CountTag value={row.dead} kind="dead" testId={`jobs-dead-${row.service}`} />,
  },
  {
    title: 'Retry',
    key: 'retry',
    onCell: noWrapCell,
    sorter: (a, b) => a.retry - b.retry,
    render: (_: unknown, row) => <CountTag value={row.retry} kind="retry" testId={`jobs-retry-${row.service}`} />,
  },
  {
    title: 'Not answering',
    key: 'unreachable',
    onCell: noWrapCell,
    render: (_: unknown, row) => <CountTag value={row.unreachable} kind="unreachable" />,
  },
  {
    title: 'Counted',
    key: 'sampled_at',
    onCell: noWrapCell,
    render: (_: unknown, row) =>
      row.sampled_at ? <RelativeTime at={row.sampled_at} /> : <Typography.Text type="secondary">not yet</Typography.Text>,
  },
]

/** Every service's dead and retrying jobs at a glance, from the sampler's last counts. */
export function JobsOverviewPage() {
  usePageTitle({ title: 'Jobs' })
  const refresh = useAutoRefresh()
  const overview = useJobsOverview(refresh.on)
  return (
    <div data-testid="jobs-overview">
      <PageHeading
        title="Jobs"
        subtitle="Dead and retrying jobs of every service's job systems, counted in the background every 30 s. Open a service to see its workers, queues and jobs."
        extra={refresh.control}
      />
      <Card>
        {overview.isError ? (
          <QueryError query={overview} title="Cannot load the jobs overview" />
        ) : (
          <Table<FailureCounts>
            rowKey="service"
            size="middle"
            columns={columns}
            dataSource={overview.data?.services ?? []}
            loading={overview.isPending}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{
              emptyText: overview.isPending ? (
                ' '
              ) : (
                <Empty description="No service in your reach has a job backend yet. Add one on a service's page, under Job backends." />
              ),
            }}
          />
        )}
      </Card>
    </div>
  )
}
