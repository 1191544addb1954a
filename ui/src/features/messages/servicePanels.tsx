import { Card, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { Link } from 'react-router'
import type { Service } from '../../api/types'
import type { ServicePanel } from '../../app/servicePanels'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { usePermissions } from '../auth/queries'
import { NOT_NARROW, browsePath, count, subscriptionPath } from './format'
import { useSubscriptions } from './queries'
import { StatusCell } from './StatusBadge'
import { LagText, TopicCell } from './cells'
import type { Subscription } from './types'

const columns: TableColumnsType<Subscription> = [
  {
    title: 'Subscription',
    key: 'name',
    render: (_: unknown, subscription) => (
      <Link to={subscriptionPath(subscription.id)} data-testid={`service-subscription-${subscription.id}`}>
        <Typography.Text strong style={{ color: 'inherit', overflowWrap: 'anywhere' }}>
          {subscription.name}
        </Typography.Text>
      </Link>
    ),
  },
  { title: 'Topic @ cluster', key: 'topic', responsive: NOT_NARROW, render: (_: unknown, subscription) => <TopicCell subscription={subscription} /> },
  { title: 'State', key: 'state', render: (_: unknown, subscription) => <StatusCell status={subscription.status} /> },
  { title: 'Lag', key: 'lag', align: 'right', onCell: noWrapCell, render: (_: unknown, subscription) => <LagText lag={subscription.status.lag} /> },
  { title: 'Stored', key: 'stored', align: 'right', onCell: noWrapCell, responsive: NOT_NARROW, render: (_: unknown, subscription) => count(subscription.status.stored) },
  {
    title: 'Last message',
    key: 'last',
    onCell: noWrapCell,
    responsive: NOT_NARROW,
    render: (_: unknown, subscription) => <RelativeTime at={subscription.status.last_message_at} empty="none yet" />,
  },
]

/** The service's subscriptions with their state and lag; shown to who may read its
 * messages, and only when it has some. */
function ServiceMessages({ service }: { service: Service }) {
  const permissions = usePermissions()
  if (!permissions.can('messages', 'read', service)) return null
  return <MessagesCard service={service} />
}

function MessagesCard({ service }: { service: Service }) {
  const subscriptions = useSubscriptions(service.name)
  if (subscriptions.isPending || (subscriptions.data && subscriptions.data.length === 0)) return null
  return (
    <Card
      title="Messages"
      style={{ marginTop: 16 }}
      data-testid="service-messages"
      extra={<Link to={browsePath({ service: service.name })}>Browse its messages</Link>}
    >
      {subscriptions.isError ? (
        <QueryError query={subscriptions} title="Cannot load the subscriptions" />
      ) : (
        <Table<Subscription>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={subscriptions.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      )}
    </Card>
  )
}

export const servicePanels: ServicePanel[] = [{ key: 'messages', order: 30, Panel: ServiceMessages }]
