import { Card, Empty } from 'antd'
import { Link, useParams } from 'react-router'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { useAutoRefresh } from './AutoRefresh'
import { BackendTable } from './BackendTable'
import { useServiceJobs } from './queries'

/** One service's job backends: pick one to see its workers, queues and jobs. */
export function ServiceJobsPage() {
  const service = useParams().service ?? ''
  usePageTitle({ title: 'Jobs', path: '/jobs' }, { title: service })
  const refresh = useAutoRefresh()
  const jobs = useServiceJobs(service, refresh.on)
  return (
    <div data-testid="service-jobs-page">
      <PageHeading title={`Jobs of ${service}`} subtitle="Its job systems, counted live." extra={refresh.control} />
      <Card>
        {jobs.isError ? (
          <QueryError query={jobs} title="Cannot load the service's job backends" />
        ) : (
          <BackendTable
            backends={jobs.data?.backends ?? []}
            loading={jobs.isPending}
            empty={
              <Empty description="This service has no job backend yet.">
                <Link to={`/catalog/services/${encodeURIComponent(service)}?tab=job-backends`}>Add one on the service's page</Link>
              </Empty>
            }
          />
        )}
      </Card>
    </div>
  )
}
