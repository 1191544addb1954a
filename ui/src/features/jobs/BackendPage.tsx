import { Alert, Card, Flex, Skeleton, Statistic, Tabs, Tag } from 'antd'
import { useParams, useSearchParams } from 'react-router'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { usePermissions } from '../auth/queries'
import { useAutoRefresh } from './AutoRefresh'
import { VIEW_TITLES, jobsPath } from './format'
import { JobList } from './JobList'
import { Periodic } from './Periodic'
import { Queues } from './Queues'
import { useBackend, type BackendRef } from './queries'
import type { BackendOverview, Capabilities, Counts, JobAction, JobSetName, View } from './types'
import { WorkerPools } from './WorkerPools'

const VIEWS: View[] = ['worker-pools', 'queues', 'scheduled', 'retry', 'dead', 'periodic']
const VIEW_COUNTS: Partial<Record<View, keyof Counts>> = {
  'worker-pools': 'worker_pools',
  queues: 'queues',
  scheduled: 'scheduled',
  retry: 'retry',
  dead: 'dead',
}

/** One job backend: the five views (and periodic jobs) as tabs, and its counts. */
export function BackendPage() {
  const params = useParams()
  const service = params.service ?? ''
  const ref: BackendRef = { service, backendId: Number(params.backendId) }
  const [search, setSearch] = useSearchParams()
  const refresh = useAutoRefresh()
  const backend = useBackend(ref, refresh.on)
  const permissions = usePermissions()
  usePageTitle({ title: 'Jobs', path: '/jobs' }, { title: service, path: jobsPath(service) }, { title: backend.data?.name ?? 'Backend' })
  if (backend.isError) return <QueryError query={backend} title="Cannot load the job backend" />
  if (!backend.data) return <Skeleton active />
  const data = backend.data
  const canWrite = permissions.can('jobs', 'write', { name: data.service, team: data.team })
  const view = (VIEWS.includes(search.get('view') as View) ? search.get('view') : 'dead') as View
  return (
    <div data-testid="job-backend-page">
      <PageHeading
        title={data.name}
        subtitle={
          <>
            <Tag color="purple">{data.label}</Tag>
            of {data.service}
          </>
        }
        extra={refresh.control}
      />
      {!data.ok && (
        <Alert type="error" showIcon message="This backend is not answering" description={data.message} style={{ marginBottom: 16 }} data-testid="backend-down" />
      )}
      {data.capabilities === null ? (
        <Alert type="warning" showIcon message={`No adapter reads '${data.type}' here`} description="Install the package that provides it, or change the backend's type." />
      ) : (
        <>
          <BackendCounts backend={data} />
          <Card styles={{ body: { paddingTop: 4 } }}>
            <Tabs
              activeKey={view}
              onChange={(key) => setSearch({ view: key }, { replace: true })}
              data-testid="job-views"
              items={VIEWS.map((key) => ({
                key,
                label: <span data-testid={`job-view-${key}`}>{tabLabel(key, data)}</span>,
                children: <ViewBody view={key} backend={ref} capabilities={data.capabilities as Capabilities} canWrite={canWrite} refresh={refresh.on} />,
              }))}
            />
          </Card>
        </>
      )}
    </div>
  )
}

function tabLabel(view: View, backend: BackendOverview): string {
  const field = VIEW_COUNTS[view]
  const value = field ? backend.counts[field] : null
  return value === null || value === undefined ? VIEW_TITLES[view] : `${VIEW_TITLES[view]} (${value.toLocaleString('en-US')})`
}

function BackendCounts({ backend }: { backend: BackendOverview }) {
  const { counts } = backend
  const shown: [string, number | null | undefined][] = [
    ['Busy workers', counts.busy],
    ['Enqueued', counts.enqueued],
    ['Scheduled', counts.scheduled],
    ['Retry', counts.retry],
    ['Dead', counts.dead],
  ]
  return (
    <Card style={{ marginBottom: 16 }}>
      <Flex gap={40} wrap>
        {shown
          .filter(([, value]) => value !== null && value !== undefined)
          .map(([title, value]) => (
            <Statistic key={title} title={title} value={value ?? 0} data-testid={`count-${title}`} />
          ))}
      </Flex>
    </Card>
  )
}

interface ViewProps {
  view: View
  backend: BackendRef
  capabilities: Capabilities
  canWrite: boolean
  refresh: boolean
}

function ViewBody({ view, backend, capabilities, canWrite, refresh }: ViewProps) {
  const support = capabilities.views[view]
  if (!support?.provided) {
    return <Alert type="info" showIcon message={`No ${VIEW_TITLES[view].toLowerCase()} view for this job system`} description={support?.why} data-testid="view-not-kept" />
  }
  const note = support.why ? <Alert type="info" message={support.why} style={{ marginBottom: 12 }} banner showIcon={false} /> : null
  const actionsAt = (where: string) => (capabilities.actions[where] ?? []) as JobAction[]
  if (view === 'worker-pools') return <>{note}<WorkerPools backend={backend} refresh={refresh} /></>
  if (view === 'queues') return <>{note}<Queues backend={backend} actions={actionsAt('queue')} canWrite={canWrite} refresh={refresh} /></>
  if (view === 'periodic') return <Periodic backend={backend} refresh={refresh} why={support.why} />
  const set = view as JobSetName
  return (
    <>
      {note}
      <JobList key={set} backend={backend} place={{ set }} actions={actionsAt(set)} canWrite={canWrite} refresh={refresh} />
    </>
  )
}
