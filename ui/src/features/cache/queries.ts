import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { $api, api, unwrap } from '../../api/client'
import type { BulkDelete, InstanceRef, KeyType, ValueOrder } from './types'

/** A running bulk delete is polled this often. */
export const BULK_POLL_MS = 1_000
/** Keys one search page asks for. */
export const PAGE_SIZE = 100
/** The most keys the API gives in one page. */
const MAX_PAGE = 1_000

const instancePath = ({ service, instanceId }: InstanceRef) => ({ service, instance_id: instanceId })
const keyPath = (ref: InstanceRef, keyB64: string) => ({ ...instancePath(ref), key: keyB64 })

export function useInstances(service?: string, options: { enabled?: boolean } = {}) {
  return $api.useQuery('get', '/api/v1/cache/instances', { params: { query: service ? { service } : {} } }, { enabled: options.enabled ?? true })
}

export interface KeySearch {
  pattern: string
  type: KeyType | null
}

/** One page of a key search; `wanted` asks for that many matches (within the API's bounds). */
export function fetchKeyPage(ref: InstanceRef, search: KeySearch, cursor: string | null, wanted: number, signal?: AbortSignal) {
  const limit = Math.max(1, Math.min(MAX_PAGE, Number.isFinite(wanted) ? wanted : MAX_PAGE))
  const query = { pattern: search.pattern, limit, ...(search.type ? { type: search.type } : {}), ...(cursor ? { cursor } : {}) }
  return unwrap(api.GET('/api/v1/services/{service}/redis/{instance_id}/keys', { params: { path: instancePath(ref), query }, signal }))
}

/** One budget's worth of a dry run's count. */
export function fetchMatchCount(ref: InstanceRef, pattern: string, cursor: string | null, signal?: AbortSignal) {
  const query = { pattern, ...(cursor ? { cursor } : {}) }
  return unwrap(api.GET('/api/v1/services/{service}/redis/{instance_id}/keys-count', { params: { path: instancePath(ref), query }, signal }))
}

export function useKeyInfo(ref: InstanceRef, keyB64: string | null) {
  return $api.useQuery(
    'get',
    '/api/v1/services/{service}/redis/{instance_id}/keys/{key}',
    { params: { path: keyPath(ref, keyB64 ?? '') } },
    // A key that is gone stays gone: asking again would only repeat the 404.
    { enabled: keyB64 !== null, retry: false },
  )
}

/** A key's value, page after page (a string's chunks, a hash's HSCAN pages...): each next
 * page goes on from the one before (`after` its `next`). */
export function useValuePages(ref: InstanceRef, keyB64: string | null, order: ValueOrder) {
  return useInfiniteQuery({
    queryKey: ['cache', 'value', ref.service, ref.instanceId, keyB64, order],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/services/{service}/redis/{instance_id}/keys/{key}/value', {
          params: { path: keyPath(ref, keyB64 ?? ''), query: { order, ...(pageParam ? { after: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    enabled: keyB64 !== null,
    retry: false,
  })
}

function useForgetKey(ref: InstanceRef) {
  const client = useQueryClient()
  return (keyB64: string) =>
    client.invalidateQueries({
      predicate: ({ queryKey }) => {
        if (queryKey[0] === 'cache') return queryKey[4] === keyB64
        const init = queryKey[2] as { params?: { path?: { key?: string; instance_id?: number } } } | undefined
        return init?.params?.path?.key === keyB64 && init.params.path.instance_id === ref.instanceId
      },
    })
}

export function useDeleteKey(ref: InstanceRef) {
  return useMutation({
    mutationFn: (keyB64: string) => unwrap(api.DELETE('/api/v1/services/{service}/redis/{instance_id}/keys/{key}', { params: { path: keyPath(ref, keyB64) } })),
  })
}

/** A new TTL in seconds, or null to remove it (PERSIST). */
export function useSetTtl(ref: InstanceRef) {
  const forget = useForgetKey(ref)
  return useMutation({
    mutationFn: ({ keyB64, seconds }: { keyB64: string; seconds: number | null }) =>
      unwrap(api.PUT('/api/v1/services/{service}/redis/{instance_id}/keys/{key}/ttl', { params: { path: keyPath(ref, keyB64) }, body: { seconds } })),
    onSuccess: (_info, { keyB64 }) => forget(keyB64),
  })
}

export interface AnalysisRequest {
  pattern: string
  delimiter: string
  /** Bumped by each Run, so the same parameters run again. */
  run: number
}

/** The analysis of `request`, read when Run is pressed (it samples thousands of keys:
 * never on its own, and kept until the next Run). */
export function useAnalysis(ref: InstanceRef, request: AnalysisRequest | null) {
  return useQuery({
    queryKey: ['cache', 'analysis', ref.service, ref.instanceId, request],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/services/{service}/redis/{instance_id}/analysis', {
          params: { path: instancePath(ref), query: { pattern: request?.pattern ?? '', delimiter: request?.delimiter || ':' } },
          signal,
        }),
      ),
    enabled: request !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  })
}

function running(job: BulkDelete | undefined): boolean {
  return job?.state === 'running'
}

export function useBulkDeletes(ref: InstanceRef) {
  return $api.useQuery(
    'get',
    '/api/v1/services/{service}/redis/{instance_id}/bulk-deletes',
    { params: { path: instancePath(ref) } },
    { refetchInterval: (query) => ((query.state.data ?? []).some((job) => running(job)) ? BULK_POLL_MS : false) },
  )
}

/** One bulk delete, polled every second while it runs. */
export function useBulkDelete(ref: InstanceRef, jobId: number | null) {
  return $api.useQuery(
    'get',
    '/api/v1/services/{service}/redis/{instance_id}/bulk-deletes/{job_id}',
    { params: { path: { ...instancePath(ref), job_id: jobId ?? 0 } } },
    { enabled: jobId !== null, refetchInterval: (query) => (running(query.state.data) ? BULK_POLL_MS : false) },
  )
}

function useRefreshBulk(ref: InstanceRef) {
  const client = useQueryClient()
  return (job: BulkDelete) => {
    client.setQueryData(['get', '/api/v1/services/{service}/redis/{instance_id}/bulk-deletes/{job_id}', { params: { path: { ...instancePath(ref), job_id: job.id } } }], job)
    return client.invalidateQueries({ queryKey: ['get', '/api/v1/services/{service}/redis/{instance_id}/bulk-deletes'] })
  }
}

export function useStartBulkDelete(ref: InstanceRef) {
  const refresh = useRefreshBulk(ref)
  return useMutation({
    mutationFn: (body: { pattern: string; max_keys: number }) =>
      unwrap(api.POST('/api/v1/services/{service}/redis/{instance_id}/bulk-deletes', { params: { path: instancePath(ref) }, body })),
    onSuccess: refresh,
  })
}

export function useCancelBulkDelete(ref: InstanceRef) {
  const refresh = useRefreshBulk(ref)
  return useMutation({
    mutationFn: (jobId: number) =>
      unwrap(api.POST('/api/v1/services/{service}/redis/{instance_id}/bulk-deletes/{job_id}/cancel', { params: { path: { ...instancePath(ref), job_id: jobId } } })),
    onSuccess: refresh,
  })
}

export function useResumeBulkDelete(ref: InstanceRef) {
  const refresh = useRefreshBulk(ref)
  return useMutation({
    mutationFn: ({ jobId, maxKeys }: { jobId: number; maxKeys: number | null }) =>
      unwrap(
        api.POST('/api/v1/services/{service}/redis/{instance_id}/bulk-deletes/{job_id}/resume', {
          params: { path: { ...instancePath(ref), job_id: jobId } },
          body: maxKeys === null ? {} : { max_keys: maxKeys },
        }),
      ),
    onSuccess: refresh,
  })
}

/** The protobuf schemas the user may read (the messages module's), to decode a cached
 * string with; a user without that permission gets an error, shown as such. */
export function useDecodeSchemas(service: string, enabled: boolean) {
  return $api.useQuery('get', '/api/v1/schemas', { params: { query: { service } } }, { enabled, retry: false })
}

export interface ProtobufChoice {
  schema: number
  messageType: string
}

/** The whole string value decoded as a message type of an uploaded schema. */
export function useDecodedValue(ref: InstanceRef, keyB64: string, choice: ProtobufChoice | null) {
  return useQuery({
    queryKey: ['cache', 'decoded', ref.service, ref.instanceId, keyB64, choice],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/services/{service}/redis/{instance_id}/keys/{key}/value', {
          params: { path: keyPath(ref, keyB64), query: { schema: choice?.schema, message_type: choice?.messageType } },
          signal,
        }),
      ),
    enabled: choice !== null,
    retry: false,
  })
}
