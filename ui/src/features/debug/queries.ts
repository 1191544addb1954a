import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { $api, api, invalidatePaths, unwrap } from '../../api/client'
import type { RunRead } from './types'

/** Runs one History page lists. */
const HISTORY_PAGE = 20
/** The most endpoints a service's Debug tab reads from the catalog (the API's page limit). */
const ENDPOINTS_LIMIT = 500

export interface EndpointRef {
  service: string
  endpointId: number
}

const endpointPath = ({ service, endpointId }: EndpointRef) => ({ service, endpoint_id: endpointId })
const runKey = (runId: number) => ['get', '/api/v1/debug-runs/{run_id}', { params: { path: { run_id: runId } } }] as const
const historyKey = (ref: EndpointRef) => ['debug', 'runs', ref.service, ref.endpointId] as const

/** Every debug endpoint in reach (or one service's) with its last run. */
export function useEndpointStatuses(service?: string) {
  return $api.useQuery('get', '/api/v1/debug/endpoints', { params: { query: service ? { service } : {} } })
}

/** The service's endpoints as the catalog defines them: their parameters and time limit. */
export function useEndpointDefinitions(service: string) {
  return $api.useQuery('get', '/api/v1/services/{service}/debug-endpoints', {
    params: { path: { service }, query: { limit: ENDPOINTS_LIMIT, offset: 0 } },
  })
}

/** A stored run never changes: read once, kept while the page lives. */
export function useRun(runId: number | null) {
  return $api.useQuery(
    'get',
    '/api/v1/debug-runs/{run_id}',
    { params: { path: { run_id: runId ?? 0 } } },
    { enabled: runId !== null, retry: false, staleTime: Number.POSITIVE_INFINITY },
  )
}

export function useComparison(base: number | null, other: number | null) {
  return $api.useQuery(
    'get',
    '/api/v1/debug-runs/{run_id}/compare/{other_id}',
    { params: { path: { run_id: base ?? 0, other_id: other ?? 0 } } },
    { enabled: base !== null && other !== null, retry: false, staleTime: Number.POSITIVE_INFINITY },
  )
}

/** An endpoint's runs, newest first, each next page older than the one before. */
export function useRunHistory(ref: EndpointRef) {
  return useInfiniteQuery({
    queryKey: historyKey(ref),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/services/{service}/debug-endpoints/{endpoint_id}/runs', {
          params: { path: endpointPath(ref), query: { limit: HISTORY_PAGE, ...(pageParam ? { before: Number(pageParam) } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  })
}

/** Runs the endpoint; the new run is kept as read, and the lists that show runs refresh. */
export function useRunEndpoint(ref: EndpointRef) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (parameters: Record<string, unknown>) =>
      unwrap(api.POST('/api/v1/services/{service}/debug-endpoints/{endpoint_id}/run', { params: { path: endpointPath(ref) }, body: { parameters } })),
    onSuccess: (run: RunRead) => {
      client.setQueryData(runKey(run.id), run)
      void client.invalidateQueries({ queryKey: historyKey(ref) })
      void invalidatePaths(client, '/api/v1/debug/endpoints', '/api/v1/home')
    },
  })
}
