import { Card, Empty } from 'antd'
import { Link } from 'react-router'
import type { Service } from '../../api/types'
import type { ServicePanel } from '../../app/servicePanels'
import { QueryError } from '../../components/QueryError'
import { usePermissions } from '../auth/queries'
import { BackendTable } from './BackendTable'
import { jobsPath } from './format'
import { useServiceJobs } from './queries'

/** The service's job systems with their live counts; shown to who may read its jobs. */
function ServiceJobs({ service }: { service: Service }) {
  const permissions = usePermissions()
  if (!permissions.can('jobs', 'read', service) || service.connections.job_backends === 0) return null
  return <JobsCard service={service} />
}

function JobsCard({ service }: { service: Service }) {
  const jobs = useServiceJobs(service.name, true)
  return (
    <Card title="Jobs" style={{ marginTop: 16 }} data-testid="service-jobs" extra={<Link to={jobsPath(service.name)}>All of its jobs</Link>}>
      {jobs.isError ? (
        <QueryError query={jobs} title="Cannot load the jobs" />
      ) : (
        <BackendTable backends={jobs.data?.backends ?? []} loading={jobs.isPending} empty={<Empty description="No job backend." />} />
      )}
    </Card>
  )
}

export const servicePanels: ServicePanel[] = [{ key: 'jobs', order: 20, Panel: ServiceJobs }]
