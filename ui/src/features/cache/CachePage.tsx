import { Button, Card, Empty, Flex, Result, Skeleton } from 'antd'
import { useEffect } from 'react'
import { Link, useSearchParams } from 'react-router'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { InstancePicker } from './InstancePicker'
import { InstanceView } from './InstanceView'
import { useInstances } from './queries'

/** The business cache: pick one of the services' Redis instances (kept in the address,
 * `?service=&instance=`, so links and reloads land on it), then browse it. */
export function CachePage() {
  const [params, setParams] = useSearchParams()
  const instances = useInstances()
  const all = instances.data ?? []
  const service = params.get('service')
  const instanceId = Number(params.get('instance'))
  const picked = all.find((item) => item.service === service && item.id === instanceId) ?? null
  usePageTitle({ title: 'Cache', path: '/cache' }, ...(picked ? [{ title: `${picked.service} / ${picked.name}` }] : []))

  // Nothing named in the address: the first instance, so the page shows keys at once.
  const first = all[0]
  useEffect(() => {
    if (!service && !params.get('instance') && first) {
      setParams({ service: first.service, instance: String(first.id) }, { replace: true })
    }
  }, [service, params, first, setParams])

  const pick = (next: { service: string; id: number }) => setParams({ service: next.service, instance: String(next.id) })

  return (
    <div data-testid="cache-page">
      <PageHeading
        title="Cache"
        subtitle="What the services hold in Redis: keys by pattern with type, size and TTL, their values, an analysis of memory and expiry, and deletes by pattern with a dry run."
      />
      {instances.isError ? (
        <QueryError query={instances} title="Cannot load the Redis instances" />
      ) : instances.isPending ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : all.length === 0 ? (
        <Card>
          <Empty data-testid="cache-no-instances" description="No Redis instance in your reach: a service's Redis instances are added on its page, under Redis.">
            <Link to="/catalog">
              <Button type="primary">Go to the services</Button>
            </Link>
          </Empty>
        </Card>
      ) : (
        <>
          <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
            <InstancePicker instances={all} picked={picked} onPick={pick} />
          </Flex>
          {picked ? (
            <InstanceView key={`${picked.service}/${picked.id}`} instance={picked} />
          ) : (
            service && (
              <Card>
                <Result
                  status="404"
                  title="No such Redis instance"
                  subTitle={`${service} has no Redis instance ${params.get('instance') ?? ''} in your reach: it may have been removed. Pick another above.`}
                  data-testid="cache-instance-not-found"
                />
              </Card>
            )
          )}
        </>
      )}
    </div>
  )
}
