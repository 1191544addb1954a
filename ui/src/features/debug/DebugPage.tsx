import { Card, Empty, Select, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { Link } from 'react-router'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { useListParams } from '../../components/useListParams'
import { NOT_NARROW, debugTabPath } from './format'
import { LastRun } from './LastRun'
import { MethodPath } from './MethodPath'
import { overviewOrder, servicesOf } from './overview'
import { useEndpointStatuses } from './queries'
import type { EndpointStatus } from './types'

const columns: TableColumnsType<EndpointStatus> = [
  {
    title: 'Endpoint',
    key: 'endpoint',
    render: (_: unknown, endpoint) => (
      <Link to={debugTabPath(endpoint.service, { endpoint: endpoint.id })} data-testid={`debug-overview-${endpoint.id}`}>
        <Typography.Text strong style={{ color: 'inherit' }}>
          {endpoint.service} / {endpoint.name}
        </Typography.Text>
      </Link>
    ),
  },
  { title: 'Request', key: 'request', responsive: NOT_NARROW, render: (_: unknown, endpoint) => <MethodPath method={endpoint.method} path={endpoint.path} /> },
  { title: 'Last run', key: 'last_run', render: (_: unknown, endpoint) => <LastRun run={endpoint.last_run} /> },
  {
    title: 'What happened',
    key: 'message',
    responsive: ['lg'],
    render: (_: unknown, endpoint) => endpoint.last_run?.message ?? <Typography.Text type="secondary">—</Typography.Text>,
  },
]

/** Every debug endpoint in reach with its last run, the failing ones first. */
export function DebugPage() {
  usePageTitle({ title: 'Debug' })
  const list = useListParams(['service'] as const)
  const statuses = useEndpointStatuses()
  const all = statuses.data ?? []
  const service = list.filters.service
  const shown = overviewOrder(service ? all.filter((endpoint) => endpoint.service === service) : all)
  return (
    <div data-testid="debug-page">
      <PageHeading
        title="Debug"
        subtitle="The services' debug endpoints with their last run. Open one to run it and see each call it made on a time axis."
        extra={
          <Select
            allowClear
            showSearch
            placeholder="Every service"
            value={service || undefined}
            onChange={(value?: string) => list.setFilter('service', value ?? '')}
            options={servicesOf(all).map((name) => ({ value: name, label: name }))}
            style={{ minWidth: 200 }}
            data-testid="debug-service-filter"
          />
        }
      />
      <Card>
        {statuses.isError ? (
          <QueryError query={statuses} title="Cannot load the debug endpoints" />
        ) : (
          <Table<EndpointStatus>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={shown}
            loading={statuses.isPending}
            pagination={shown.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            locale={{
              emptyText: statuses.isPending ? (
                ' '
              ) : (
                <Empty description="No service in your reach has a debug endpoint yet. Add one on a service's page, under Debug endpoints." />
              ),
            }}
          />
        )}
      </Card>
    </div>
  )
}
