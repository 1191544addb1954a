import { useMemo, useState } from 'react'
import { Button, Card, Empty, Flex, Grid, Select, Table, Typography } from 'antd'
import type { Breakpoint, TableColumnsType } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { Link, useNavigate } from 'react-router'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { WriteAction } from '../../components/WriteAction'
import { noWrapCell } from '../../components/noWrapCell'
import { useListParams } from '../../components/useListParams'
import { NEEDS_MESSAGES_WRITE_ANY, NOT_NARROW, count, formatLabel, subscriptionPath } from './format'
import { useSchemas, useSubscriptions } from './queries'
import { StatusCell } from './StatusBadge'
import { SubscriptionActions } from './SubscriptionActions'
import { SubscriptionDrawer } from './SubscriptionDrawer'
import type { Subscription } from './types'
import { LagText, TopicCell } from './cells'
import { useMessagesAccess } from './useMessagesAccess'

const FILTERS = ['service'] as const

/** A phone shows the name with its topic and state, and the lag; a row opens the subscription, where its actions are. */
const NOT_PHONE: Breakpoint[] = ['sm']

function columns(canWrite: (service: string) => boolean, onEdit: (subscription: Subscription) => void, phone: boolean): TableColumnsType<Subscription> {
  return [
    { title: 'Service', dataIndex: 'service', key: 'service', onCell: noWrapCell, responsive: NOT_NARROW },
    {
      title: 'Name',
      key: 'name',
      render: (_: unknown, subscription) => (
        <Flex vertical gap={2}>
          <Link to={subscriptionPath(subscription.id)} data-testid={`subscription-link-${subscription.id}`}>
            <Typography.Text strong style={{ color: 'inherit', overflowWrap: 'anywhere' }}>
              {subscription.name}
            </Typography.Text>
          </Link>
          {phone && <TopicCell subscription={subscription} />}
          {phone && <StatusCell status={subscription.status} />}
        </Flex>
      ),
    },
    { title: 'Topic @ cluster', key: 'topic', responsive: NOT_PHONE, render: (_: unknown, subscription) => <TopicCell subscription={subscription} /> },
    {
      title: 'Values',
      key: 'format',
      responsive: NOT_NARROW,
      render: (_: unknown, subscription) => <Typography.Text style={{ overflowWrap: 'anywhere' }}>{formatLabel(subscription)}</Typography.Text>,
    },
    { title: 'State', key: 'state', responsive: NOT_PHONE, render: (_: unknown, subscription) => <StatusCell status={subscription.status} /> },
    {
      title: 'Lag',
      key: 'lag',
      align: 'right',
      onCell: noWrapCell,
      render: (_: unknown, subscription) => (
        <span data-testid={`subscription-lag-${subscription.id}`}>
          <LagText lag={subscription.status.lag} />
        </span>
      ),
    },
    {
      title: 'Stored',
      key: 'stored',
      align: 'right',
      onCell: noWrapCell,
      responsive: NOT_NARROW,
      render: (_: unknown, subscription) => <span data-testid={`subscription-stored-${subscription.id}`}>{count(subscription.status.stored)}</span>,
    },
    {
      title: 'Last message',
      key: 'last',
      onCell: noWrapCell,
      responsive: NOT_NARROW,
      render: (_: unknown, subscription) => <RelativeTime at={subscription.status.last_message_at} empty="none yet" />,
    },
    {
      title: '',
      key: 'actions',
      onCell: noWrapCell,
      responsive: NOT_PHONE,
      render: (_: unknown, subscription) => (
        <SubscriptionActions subscription={subscription} canWrite={canWrite(subscription.service)} onEdit={() => onEdit(subscription)} compact />
      ),
    },
  ]
}

/** The first visit: nothing is consumed yet, so the page says what a subscription is. */
function NoSubscriptionsYet({ canCreate, hasSchemas, onCreate }: { canCreate: boolean; hasSchemas: boolean; onCreate: () => void }) {
  return (
    <Empty
      data-testid="subscriptions-empty"
      description={
        <div style={{ maxWidth: 560, margin: '0 auto' }}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            No subscriptions yet
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            A subscription has a worker consume one Kafka topic of a service and store every message, decoded — with an
            uploaded protobuf schema, or as JSON or text — so you can search them by business field, such as an order id,
            watch them live and replay them.
            {!hasSchemas && (
              <>
                {' '}
                For protobuf values, <Link to="/messages/schemas">upload the .proto schema</Link> first.
              </>
            )}
          </Typography.Paragraph>
        </div>
      }
    >
      <WriteAction allowed={canCreate} reason={NEEDS_MESSAGES_WRITE_ANY}>
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="empty-new-subscription">
          Create the first subscription
        </Button>
      </WriteAction>
    </Empty>
  )
}

/** Every subscription in reach: what it consumes, whether it keeps up, what it stored. */
export function SubscriptionsPage() {
  usePageTitle({ title: 'Messages', path: '/messages' })
  const list = useListParams(FILTERS)
  const navigate = useNavigate()
  const phone = Grid.useBreakpoint().sm === false
  const access = useMessagesAccess()
  const all = useSubscriptions()
  const schemas = useSchemas()
  const [editing, setEditing] = useState<Subscription | null>(null)
  const [drawerOpen, setDrawerOpen] = useState(false)
  const services = useMemo(() => [...new Set((all.data ?? []).map((item) => item.service))].sort(), [all.data])
  const shown = (all.data ?? []).filter((item) => !list.filters.service || item.service === list.filters.service)

  const openNew = () => {
    setEditing(null)
    setDrawerOpen(true)
  }
  const openEdit = (subscription: Subscription) => {
    setEditing(subscription)
    setDrawerOpen(true)
  }
  const empty =
    list.filtered && (all.data ?? []).length > 0 ? (
      <Empty description="No subscription of this service." />
    ) : (
      <NoSubscriptionsYet canCreate={access.canWriteAny} hasSchemas={(schemas.data ?? []).length > 0} onCreate={openNew} />
    )

  return (
    <div data-testid="subscriptions-page">
      <PageHeading
        title="Async messages"
        subtitle="The Kafka topics whose messages are consumed, decoded and kept, with each consumer's state and how far behind it is."
        extra={
          <WriteAction allowed={access.canWriteAny} reason={NEEDS_MESSAGES_WRITE_ANY}>
            <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="new-subscription">
              New subscription
            </Button>
          </WriteAction>
        }
      />
      <Card styles={{ body: { padding: 16 } }}>
        {services.length > 1 && (
          <Flex gap={12} wrap style={{ marginBottom: 16 }}>
            <Select
              allowClear
              showSearch
              placeholder="Service"
              aria-label="Filter by service"
              value={list.filters.service || undefined}
              onChange={(value?: string) => list.setFilter('service', value ?? '')}
              options={services.map((name) => ({ value: name, label: name }))}
              style={{ width: 220, maxWidth: '100%' }}
              data-testid="subscriptions-filter-service"
            />
          </Flex>
        )}
        {all.isError ? (
          <QueryError query={all} title="Cannot load the subscriptions" />
        ) : (
          <Table<Subscription>
            rowKey="id"
            size="middle"
            data-testid="subscriptions-table"
            columns={columns(access.canWrite, openEdit, phone)}
            dataSource={shown}
            loading={all.isPending}
            pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            onRow={(subscription) =>
              ({
                'data-testid': `subscription-row-${subscription.id}`,
                style: { cursor: 'pointer' },
                onClick: () => navigate(subscriptionPath(subscription.id)),
              }) as object
            }
            locale={{ emptyText: all.isPending ? ' ' : empty }}
          />
        )}
      </Card>
      <SubscriptionDrawer
        open={drawerOpen}
        subscription={editing}
        services={access.writableServices}
        defaultService={list.filters.service || undefined}
        onClose={() => setDrawerOpen(false)}
        onSaved={(saved) => {
          if (!editing) navigate(subscriptionPath(saved.id))
        }}
      />
    </div>
  )
}
