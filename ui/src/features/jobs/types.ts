/** Names for the jobs API's shapes, derived from its paths (see api/types.ts). */
import type { ResponseOf } from '../../api/types'

const BACKEND = '/api/v1/services/{service}/jobs/{backend_id}'

export type JobsOverview = ResponseOf<'/api/v1/jobs', 'get'>
export type FailureCounts = JobsOverview['services'][number]
export type ServiceJobs = ResponseOf<'/api/v1/services/{service}/jobs', 'get'>
export type BackendOverview = ResponseOf<typeof BACKEND, 'get'>
export type Counts = BackendOverview['counts']
export type Capabilities = NonNullable<BackendOverview['capabilities']>
export type View = 'worker-pools' | 'queues' | 'scheduled' | 'retry' | 'dead' | 'periodic'
export type WorkerPool = ResponseOf<'/api/v1/services/{service}/jobs/{backend_id}/worker-pools', 'get'>[number]
export type QueueInfo = ResponseOf<'/api/v1/services/{service}/jobs/{backend_id}/queues', 'get'>[number]
export type PeriodicJob = ResponseOf<'/api/v1/services/{service}/jobs/{backend_id}/periodic', 'get'>[number]
export type EntryPage = ResponseOf<'/api/v1/services/{service}/jobs/{backend_id}/{job_set}', 'get'>
export type JobSummary = EntryPage['items'][number]
export type JobDetail = ResponseOf<'/api/v1/services/{service}/jobs/{backend_id}/{job_set}/{ref}', 'get'>
export type ActionResult = ResponseOf<'/api/v1/services/{service}/jobs/{backend_id}/{job_set}/{ref}/{action}', 'post'>
export type BulkResult = ResponseOf<'/api/v1/services/{service}/jobs/{backend_id}/{job_set}/bulk', 'post'>
export type JobSetName = 'scheduled' | 'retry' | 'dead'
export type JobAction = 'retry' | 'run' | 'delete' | 'kill'

/** Where a job is: one of the sets, or a queue. */
export type Place = { set: JobSetName } | { queue: string }

export interface EntryFilter {
  name?: string
  q?: string
  id?: string
}
