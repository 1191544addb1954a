import { useState } from 'react'
import { Alert, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd'
import type { ReactNode } from 'react'
import type { TableColumnsType } from 'antd'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError } from '../../api/errors'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { AbsoluteTime, RelativeTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { NOT_NARROW, START_LABELS, count, formatLabel } from './format'
import { MessageBrowser } from './MessageBrowser'
import { useSubscription } from './queries'
import { StatusBadge } from './StatusBadge'
import { SubscriptionActions } from './SubscriptionActions'
import { SubscriptionDrawer } from './SubscriptionDrawer'
import { LagText } from './cells'
import type { PartitionLag, Subscription } from './types'
import { useMessagesAccess } from './useMessagesAccess'

const partitionColumns: TableColumnsType<PartitionLag> = [
  { title: 'Partition', dataIndex: 'partition', key: 'partition', onCell: noWrapCell },
  { title: 'Next offset', key: 'next', align: 'right', onCell: noWrapCell, render: (_: unknown, row) => count(row.next_offset) },
  { title: 'End', key: 'end', align: 'right', onCell: noWrapCell, responsive: ['sm'], render: (_: unknown, row) => count(row.end_offset) },
  { title: 'Lag', key: 'lag', align: 'right', onCell: noWrapCell, render: (_: unknown, row) => <LagText lag={row.lag} /> },
  {
    title: 'Worker',
    key: 'worker',
    responsive: NOT_NARROW,
    render: (_: unknown, row) => <Typography.Text style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12, overflowWrap: 'anywhere' }}>{row.worker || '—'}</Typography.Text>,
  },
]

function Fact({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Typography.Text type="secondary">{title}</Typography.Text>
      <div style={{ fontSize: 20, lineHeight: 1.4 }} data-testid={testId}>
        {children}
      </div>
    </div>
  )
}

function Consumer({ subscription }: { subscription: Subscription }) {
  const { status } = subscription
  return (
    <Card title="Consumer" style={{ height: '100%' }} data-testid="subscription-consumer">
      <Flex gap={32} wrap style={{ marginBottom: 16 }}>
        <Fact title="Stored" testId="subscription-stored">{count(status.stored)}</Fact>
        <Fact title="Lag" testId="subscription-lag"><LagText lag={status.lag} /></Fact>
        <Fact title="Last message"><RelativeTime at={status.last_message_at} empty="none yet" /></Fact>
        <Fact title="Reported"><RelativeTime at={status.updated_at} empty="not yet" /></Fact>
      </Flex>
      <Table<PartitionLag>
        rowKey="partition"
        size="small"
        columns={partitionColumns}
        dataSource={status.partitions}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="subscription-partitions"
        locale={{
          emptyText:
            status.state === 'paused'
              ? 'Paused: no worker holds its partitions.'
              : 'No worker has reported on its partitions yet; one joins the topic within seconds of a change.',
        }}
      />
    </Card>
  )
}

function Settings({ subscription }: { subscription: Subscription }) {
  return (
    <Card title="Settings" style={{ height: '100%' }} data-testid="subscription-settings">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'topic', label: 'Topic', children: <Typography.Text code style={{ overflowWrap: 'anywhere' }}>{subscription.topic}</Typography.Text> },
          { key: 'cluster', label: 'Cluster', children: subscription.cluster },
          { key: 'values', label: 'Values', children: subscription.value_format === 'protobuf' ? `protobuf ${subscription.message_type ?? ''}` : formatLabel(subscription) },
          ...(subscription.schema_name
            ? [{ key: 'schema', label: 'Schema', children: <Link to="/messages/schemas">{subscription.schema_name}</Link> }]
            : []),
          { key: 'keys', label: 'Keys', children: subscription.key_format },
          {
            key: 'indexed',
            label: 'Indexed fields',
            children: subscription.indexed_fields.length ? (
              <Flex gap={4} wrap>
                {subscription.indexed_fields.map((field) => (
                  <Tag key={field} style={{ marginInlineEnd: 0 }}>{field}</Tag>
                ))}
              </Flex>
            ) : (
              <Typography.Text type="secondary">none: search by key, header or time</Typography.Text>
            ),
          },
          {
            key: 'start',
            label: 'Started from',
            children: subscription.start_at ? <Space size={4}>{START_LABELS.timestamp}: <AbsoluteTime at={subscription.start_at} /></Space> : START_LABELS[subscription.start_from],
          },
          { key: 'retention', label: 'Kept for', children: `${subscription.retention_days} day${subscription.retention_days === 1 ? '' : 's'}` },
          ...(subscription.description ? [{ key: 'description', label: 'Description', children: subscription.description }] : []),
        ]}
      />
    </Card>
  )
}

function NotFound({ id }: { id: string }) {
  return (
    <div data-testid="subscription-not-found">
      <Result status="404" title="Subscription not found" subTitle={`There is no subscription ${id} you may read; it may have been deleted.`} extra={<Link to="/messages">Back to the subscriptions</Link>} />
    </div>
  )
}

/** One subscription: how its consumer is doing partition by partition, its settings, and its messages. */
export function SubscriptionPage() {
  const { id = '' } = useParams()
  const subscriptionId = /^\d+$/.test(id) ? Number(id) : null
  const subscription = useSubscription(subscriptionId)
  const access = useMessagesAccess()
  const navigate = useNavigate()
  const [editing, setEditing] = useState(false)
  const data = subscription.data
  usePageTitle({ title: 'Messages', path: '/messages' }, { title: data ? `${data.service}/${data.name}` : `Subscription ${id}` })

  if (subscriptionId === null || (subscription.isError && subscription.error instanceof ApiError && subscription.error.status === 404)) {
    return <NotFound id={id} />
  }
  if (subscription.isError) return <QueryError query={subscription} title="Cannot load the subscription" />
  if (!data) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  }
  const canWrite = access.canWrite(data.service)
  return (
    <div data-testid="subscription-page" data-state={data.status.state}>
      <PageHeading
        title={
          <Space size={10} wrap align="center">
            <span data-testid="subscription-title">{data.name}</span>
            <StatusBadge status={data.status} />
          </Space>
        }
        subtitle={
          <span>
            Service <Link to={`/catalog/services/${encodeURIComponent(data.service)}`}>{data.service}</Link> · <Typography.Text code>{data.topic}</Typography.Text> @ {data.cluster}
          </span>
        }
        extra={<SubscriptionActions subscription={data} canWrite={canWrite} onEdit={() => setEditing(true)} onDeleted={() => navigate('/messages')} />}
      />
      {data.status.state === 'error' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message="The consumer cannot run"
          description={<span style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{data.status.error ?? 'No reason given.'}</span>}
          data-testid="subscription-error-alert"
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Consumer subscription={data} />
        </Col>
        <Col xs={24} xl={10}>
          <Settings subscription={data} />
        </Col>
        <Col span={24}>
          <Card title="Messages" styles={{ body: { padding: 16 } }}>
            <MessageBrowser subscription={data} subscriptions={[data]} fixed />
          </Card>
        </Col>
      </Row>
      <SubscriptionDrawer open={editing} subscription={data} services={access.writableServices} onClose={() => setEditing(false)} />
    </div>
  )
}
