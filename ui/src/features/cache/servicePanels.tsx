import { Card, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { Link } from 'react-router'
import type { Service } from '../../api/types'
import type { ServicePanel } from '../../app/servicePanels'
import { QueryError } from '../../components/QueryError'
import { noWrapCell } from '../../components/noWrapCell'
import { usePermissions } from '../auth/queries'
import { MONO, NOT_NARROW, cachePath } from './format'
import { LastTest, ModeTag, ReadOnlyTag } from './InstanceFacts'
import { useInstances } from './queries'
import type { InstanceSummary } from './types'

const columns: TableColumnsType<InstanceSummary> = [
  {
    title: 'Instance',
    key: 'name',
    render: (_: unknown, instance) => (
      <Link to={cachePath({ service: instance.service, instanceId: instance.id })} data-testid={`service-cache-${instance.id}`}>
        <Typography.Text strong style={{ color: 'inherit', overflowWrap: 'anywhere' }}>
          {instance.name}
        </Typography.Text>
      </Link>
    ),
  },
  {
    title: 'Mode',
    key: 'mode',
    onCell: noWrapCell,
    render: (_: unknown, instance) => (
      <>
        <ModeTag mode={instance.mode} /> {instance.read_only && <ReadOnlyTag />}
      </>
    ),
  },
  {
    title: 'Key prefix',
    key: 'prefix',
    responsive: NOT_NARROW,
    render: (_: unknown, instance) =>
      instance.key_prefix ? <span style={{ fontFamily: MONO, fontSize: 12 }}>{instance.key_prefix}</span> : <Typography.Text type="secondary">none</Typography.Text>,
  },
  { title: 'Last test', key: 'test', onCell: noWrapCell, render: (_: unknown, instance) => <LastTest instance={instance} /> },
]

/** The service's Redis instances, each opening the cache browser; shown to who may read
 * its cache, and only when it has some. */
function ServiceCache({ service }: { service: Service }) {
  const permissions = usePermissions()
  if (!permissions.can('cache', 'read', service) || service.connections.redis === 0) return null
  return <CacheCard service={service} />
}

function CacheCard({ service }: { service: Service }) {
  const instances = useInstances(service.name)
  return (
    <Card title="Cache" style={{ marginTop: 16 }} data-testid="service-cache">
      {/* In the body, not the card's header, where it squeezed the title on a phone. */}
      <Typography.Paragraph type="secondary">Open an instance to browse its keys.</Typography.Paragraph>
      {instances.isError ? (
        <QueryError query={instances} title="Cannot load the Redis instances" />
      ) : (
        <Table<InstanceSummary>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={instances.data ?? []}
          loading={instances.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      )}
    </Card>
  )
}

export const servicePanels: ServicePanel[] = [{ key: 'cache', order: 40, Panel: ServiceCache }]
