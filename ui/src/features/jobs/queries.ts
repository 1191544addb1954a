import { keepPreviousData, useMutation, useQueryClient } from '@tanstack/react-query'
import { $api, api, unwrap } from '../../api/client'
import type { EntryFilter, JobAction, JobSetName, Place } from './types'

/** How often the pages refresh while auto-refresh is on. */
export const REFRESH_MS = 10_000

export interface BackendRef {
  service: string
  backendId: number
}

const backendPath = ({ service, backendId }: BackendRef) => ({ service, backend_id: backendId })

function every(refresh: boolean): number | false {
  return refresh ? REFRESH_MS : false
}

export function useJobsOverview(refresh: boolean) {
  return $api.useQuery('get', '/api/v1/jobs', {}, { refetchInterval: every(refresh) })
}

export function useServiceJobs(service: string, refresh: boolean) {
  return $api.useQuery('get', '/api/v1/services/{service}/jobs', { params: { path: { service } } }, {
    refetchInterval: every(refresh),
  })
}

export function useBackend(ref: BackendRef, refresh: boolean) {
  return $api.useQuery('get', '/api/v1/services/{service}/jobs/{backend_id}', { params: { path: backendPath(ref) } }, {
    refetchInterval: every(refresh),
  })
}

export function useWorkerPools(ref: BackendRef, refresh: boolean) {
  return $api.useQuery(
    'get',
    '/api/v1/services/{service}/jobs/{backend_id}/worker-pools',
    { params: { path: backendPath(ref) } },
    { refetchInterval: every(refresh) },
  )
}

export function useQueues(ref: BackendRef, refresh: boolean) {
  return $api.useQuery(
    'get',
    '/api/v1/services/{service}/jobs/{backend_id}/queues',
    { params: { path: backendPath(ref) } },
    { refetchInterval: every(refresh) },
  )
}

export function usePeriodic(ref: BackendRef, refresh: boolean) {
  return $api.useQuery(
    'get',
    '/api/v1/services/{service}/jobs/{backend_id}/periodic',
    { params: { path: backendPath(ref) } },
    { refetchInterval: every(refresh) },
  )
}

interface PageQuery extends EntryFilter {
  position: number
  limit: number
}

/** The filter's parts that are set: an emptied field means "any", not "the empty text". */
function clean<T extends object>(query: T): T {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined && value !== '')) as T
}

export function useEntries(ref: BackendRef, place: Place, query: PageQuery, refresh: boolean) {
  const options = { placeholderData: keepPreviousData, refetchInterval: every(refresh) }
  const set = $api.useQuery(
    'get',
    '/api/v1/services/{service}/jobs/{backend_id}/{job_set}',
    { params: { path: { ...backendPath(ref), job_set: 'set' in place ? place.set : 'dead' }, query: clean(query) } },
    { ...options, enabled: 'set' in place },
  )
  const queued = $api.useQuery(
    'get',
    '/api/v1/services/{service}/jobs/{backend_id}/queues/{queue}/jobs',
    { params: { path: { ...backendPath(ref), queue: 'queue' in place ? place.queue : '' }, query: clean(query) } },
    { ...options, enabled: 'queue' in place },
  )
  return 'set' in place ? set : queued
}

export function useJob(ref: BackendRef, place: Place, jobRef: string | null) {
  const set = $api.useQuery(
    'get',
    '/api/v1/services/{service}/jobs/{backend_id}/{job_set}/{ref}',
    { params: { path: { ...backendPath(ref), job_set: 'set' in place ? place.set : 'dead', ref: jobRef ?? '' } } },
    { enabled: jobRef !== null && 'set' in place, retry: false },
  )
  const queued = $api.useQuery(
    'get',
    '/api/v1/services/{service}/jobs/{backend_id}/queues/{queue}/jobs/{ref}',
    { params: { path: { ...backendPath(ref), queue: 'queue' in place ? place.queue : '', ref: jobRef ?? '' } } },
    { enabled: jobRef !== null && 'queue' in place, retry: false },
  )
  return 'set' in place ? set : queued
}

/** Everything under the backend's path: an action changes every view and count. */
function useInvalidateBackend(ref: BackendRef) {
  const client = useQueryClient()
  return () =>
    client.invalidateQueries({
      predicate: ({ queryKey }) => {
        const [, path, init] = queryKey as [unknown, unknown, { params?: { path?: { backend_id?: number } } } | undefined]
        return (
          typeof path === 'string' &&
          (path === '/api/v1/jobs' ||
            path === '/api/v1/services/{service}/jobs' ||
            (path.startsWith('/api/v1/services/{service}/jobs/{backend_id}') && init?.params?.path?.backend_id === ref.backendId))
        )
      },
    })
}

export function useJobAction(ref: BackendRef, place: Place) {
  const invalidate = useInvalidateBackend(ref)
  return useMutation({
    mutationFn: ({ jobRef, action }: { jobRef: string; action: JobAction }) => {
      const path = backendPath(ref)
      if ('queue' in place) {
        return unwrap(
          api.DELETE('/api/v1/services/{service}/jobs/{backend_id}/queues/{queue}/jobs/{ref}', {
            params: { path: { ...path, queue: place.queue, ref: jobRef } },
          }),
        )
      }
      if (action === 'delete') {
        return unwrap(
          api.DELETE('/api/v1/services/{service}/jobs/{backend_id}/{job_set}/{ref}', {
            params: { path: { ...path, job_set: place.set, ref: jobRef } },
          }),
        )
      }
      return unwrap(
        api.POST('/api/v1/services/{service}/jobs/{backend_id}/{job_set}/{ref}/{action}', {
          params: { path: { ...path, job_set: place.set, ref: jobRef, action } },
        }),
      )
    },
    onSettled: invalidate,
  })
}

export function countMatches(ref: BackendRef, set: JobSetName, filter: EntryFilter) {
  return unwrap(
    api.GET('/api/v1/services/{service}/jobs/{backend_id}/{job_set}/count', {
      params: { path: { ...backendPath(ref), job_set: set }, query: clean({ ...filter, position: 0, limit: 1 }) },
    }),
  )
}

export function useBulkAction(ref: BackendRef, set: JobSetName) {
  const invalidate = useInvalidateBackend(ref)
  return useMutation({
    mutationFn: (body: EntryFilter & { action: JobAction; expected: number }) =>
      unwrap(
        api.POST('/api/v1/services/{service}/jobs/{backend_id}/{job_set}/bulk', {
          params: { path: { ...backendPath(ref), job_set: set } },
          body: clean(body),
        }),
      ),
    onSettled: invalidate,
  })
}
