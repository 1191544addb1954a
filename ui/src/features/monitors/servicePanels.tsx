import { Button, Card, Empty, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import type { Service } from '../../api/types'
import type { ServicePanel } from '../../app/servicePanels'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { useNarrow } from '../../components/useNarrow'
import { usePermissions } from '../auth/queries'
import { useMonitors } from './queries'
import { MonitorStatus, SeverityTag } from './StateBadge'
import type { Monitor } from './types'

const LIMIT = 50

const columns: TableColumnsType<Monitor> = [
  { title: 'State', key: 'state', width: 130, render: (_: unknown, monitor) => <MonitorStatus monitor={monitor} /> },
  {
    title: 'Name',
    key: 'name',
    render: (_: unknown, monitor) => (
      <Link to={`/monitors/${monitor.id}`} data-testid={`service-monitor-${monitor.id}`}>
        <Typography.Text strong style={{ color: 'inherit' }}>
          {monitor.name}
        </Typography.Text>
      </Link>
    ),
  },
  { title: 'Severity', key: 'severity', width: 100, render: (_: unknown, monitor) => <SeverityTag severity={monitor.severity} /> },
  { title: 'Since', key: 'since', width: 140, render: (_: unknown, monitor) => <RelativeTime at={monitor.state_since} /> },
]

/** Shown only to who may read the service's monitors (nothing to ask for otherwise). */
function ServiceMonitors({ service }: { service: Service }) {
  const permissions = usePermissions()
  if (!permissions.can('monitors', 'read', service)) return null
  return <MonitorsCard service={service} canWrite={permissions.can('monitors', 'write', service)} />
}

function MonitorsCard({ service, canWrite }: { service: Service; canWrite: boolean }) {
  const monitors = useMonitors({ service: service.name, limit: LIMIT })
  // A phone's card header has room for the title and a word: the long text squeezed it.
  const narrow = useNarrow()
  const newLink = `/monitors/new?service=${encodeURIComponent(service.name)}`
  return (
    <Card
      title="Monitors"
      style={{ marginTop: 16 }}
      data-testid="service-monitors"
      extra={
        <Link to={`/monitors?service=${encodeURIComponent(service.name)}`} data-testid="service-monitors-all">
          {narrow ? 'All' : "All of this service's monitors"}
        </Link>
      }
    >
      {monitors.isError ? (
        <QueryError query={monitors} title="Cannot load the monitors" />
      ) : (
        <Table<Monitor>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={monitors.data?.items ?? []}
          loading={monitors.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: monitors.isPending ? (
              ' '
            ) : (
              <Empty description="No monitor watches this service's data yet.">
                {canWrite && (
                  <Link to={newLink}>
                    <Button type="primary" icon={<PlusOutlined />}>
                      New monitor
                    </Button>
                  </Link>
                )}
              </Empty>
            ),
          }}
        />
      )}
    </Card>
  )
}

export const servicePanels: ServicePanel[] = [{ key: 'monitors', order: 10, Panel: ServiceMonitors }]
