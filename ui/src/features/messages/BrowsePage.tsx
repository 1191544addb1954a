import { useMemo } from 'react'
import { Button, Card, Empty, Flex, Select, Skeleton, Typography } from 'antd'
import { Link, useSearchParams } from 'react-router'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { filtersFromParams } from './filters'
import { subscriptionPath } from './format'
import { MessageBrowser } from './MessageBrowser'
import { useSubscriptions } from './queries'
import { StatusBadge } from './StatusBadge'

/** The message browser over one subscription or all of them, picked here. */
export function BrowsePage() {
  usePageTitle({ title: 'Messages', path: '/messages' }, { title: 'Browse' })
  const [params, setParams] = useSearchParams()
  const subscriptions = useSubscriptions()
  const filters = filtersFromParams(params)
  const all = useMemo(() => subscriptions.data ?? [], [subscriptions.data])
  const services = useMemo(() => [...new Set(all.map((item) => item.service))].sort(), [all])
  const inService = all.filter((item) => !filters.service || item.service === filters.service)
  const picked = all.find((item) => item.id === filters.subscription) ?? null

  /** Another subscription has other fields: its field filters and the opened message go. */
  const pick = (values: { service?: string; subscription?: number | null }) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        for (const name of ['field', 'value', 'match', 'where', 'open']) next.delete(name)
        if (values.service !== undefined) {
          if (values.service) next.set('service', values.service)
          else next.delete('service')
        }
        if (values.subscription !== undefined) {
          if (values.subscription) next.set('subscription', String(values.subscription))
          else next.delete('subscription')
        }
        return next
      },
      { replace: true },
    )

  const options = services
    .filter((service) => !filters.service || service === filters.service)
    .map((service) => ({
      label: service,
      title: service,
      options: all
        .filter((item) => item.service === service)
        .map((item) => ({ value: item.id, label: `${item.name} · ${item.topic}` })),
    }))

  return (
    <div data-testid="browse-page">
      <PageHeading
        title="Browse messages"
        subtitle="Search the stored messages by time, key, header or business field, watch them arrive live, and open one to read, download or replay it."
        extra={
          picked && (
            <Link to={subscriptionPath(picked.id)}>
              <Button>Subscription details</Button>
            </Link>
          )
        }
      />
      <Card styles={{ body: { padding: 16 } }}>
        {subscriptions.isError ? (
          <QueryError query={subscriptions} title="Cannot load the subscriptions" />
        ) : subscriptions.isPending ? (
          <Skeleton active />
        ) : all.length === 0 ? (
          <Empty
            data-testid="browse-no-subscriptions"
            description="No subscription yet: messages are stored once a subscription consumes a topic."
          >
            <Link to="/messages">
              <Button type="primary">Go to the subscriptions</Button>
            </Link>
          </Empty>
        ) : (
          <Flex vertical gap={12}>
            <Flex gap={8} wrap align="center">
              {services.length > 1 && (
                <Select
                  allowClear
                  showSearch
                  placeholder="Every service"
                  aria-label="Service"
                  value={filters.service || undefined}
                  onChange={(service?: string) => pick({ service: service ?? '', subscription: picked && service && picked.service !== service ? null : undefined })}
                  options={services.map((name) => ({ value: name, label: name }))}
                  style={{ width: 200, maxWidth: '100%' }}
                  data-testid="browse-service"
                />
              )}
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={`Every subscription (${inService.length})`}
                aria-label="Subscription"
                value={picked?.id}
                onChange={(id?: number) => pick({ subscription: id ?? null })}
                options={options}
                style={{ flex: '1 1 280px', maxWidth: 460 }}
                data-testid="browse-subscription"
              />
              {picked && <StatusBadge status={picked.status} />}
              {!picked && (
                <Typography.Text type="secondary">Pick one to filter by its fields and tail it live.</Typography.Text>
              )}
            </Flex>
            <MessageBrowser subscription={picked} subscriptions={inService} />
          </Flex>
        )}
      </Card>
    </div>
  )
}
