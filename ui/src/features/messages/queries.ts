import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { $api, api, invalidatePaths, unwrap } from '../../api/client'
import type { MessageQuery, MessageRef, ReplayBody, SchemaUpload, SubscriptionCreate, SubscriptionPatch } from './types'

/** The subscriptions' status (state, lag, stored) follows the consumers within this. */
export const STATUS_REFRESH_MS = 5_000

const subscriptionPath = (id: number) => ({ path: { subscription_id: id } })
const schemaPath = (id: number) => ({ path: { schema_id: id } })
const messagePath = (ref: MessageRef) => ({
  path: { subscription_id: ref.subscriptionId, partition: ref.partition, offset: ref.offset },
})

// --- schemas ------------------------------------------------------------------------------

export function useSchemas(service?: string) {
  return $api.useQuery('get', '/api/v1/schemas', { params: { query: service ? { service } : {} } }, { placeholderData: keepPreviousData })
}

export function useSchemaVersions(schemaId: number | null) {
  return $api.useQuery('get', '/api/v1/schemas/{schema_id}/versions', { params: schemaPath(schemaId ?? 0) }, { enabled: schemaId !== null })
}

export function useSchemaFiles(schemaId: number | null, version?: number) {
  return $api.useQuery(
    'get',
    '/api/v1/schemas/{schema_id}/files',
    { params: { ...schemaPath(schemaId ?? 0), query: version ? { version } : {} } },
    { enabled: schemaId !== null },
  )
}

/** The fields of a schema's message type (its latest version), to pick indexed fields from. */
export function useMessageTypeFields(schemaId: number | null, messageType: string | null) {
  return $api.useQuery(
    'get',
    '/api/v1/schemas/{schema_id}/message-types/{message_type}/fields',
    { params: { path: { schema_id: schemaId ?? 0, message_type: messageType ?? '' } } },
    { enabled: schemaId !== null && Boolean(messageType), retry: false },
  )
}

function useRefreshMessages() {
  const client = useQueryClient()
  return () => invalidatePaths(client, '/api/v1/schemas', '/api/v1/subscriptions')
}

export function useUploadSchema() {
  const refresh = useRefreshMessages()
  return useMutation({
    mutationFn: (body: SchemaUpload) => unwrap(api.POST('/api/v1/schemas', { body })),
    onSuccess: refresh,
  })
}

export function useDeleteSchema() {
  const refresh = useRefreshMessages()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/schemas/{schema_id}', { params: schemaPath(id) })),
    onSuccess: refresh,
  })
}

// --- subscriptions ------------------------------------------------------------------------

export function useSubscriptions(service?: string, options: { enabled?: boolean } = {}) {
  return $api.useQuery('get', '/api/v1/subscriptions', { params: { query: service ? { service } : {} } }, {
    placeholderData: keepPreviousData,
    refetchInterval: STATUS_REFRESH_MS,
    enabled: options.enabled ?? true,
  })
}

export function useSubscription(id: number | null) {
  return $api.useQuery('get', '/api/v1/subscriptions/{subscription_id}', { params: subscriptionPath(id ?? 0) }, {
    enabled: id !== null,
    refetchInterval: STATUS_REFRESH_MS,
  })
}

export function useSubscriptionFields(id: number | null) {
  return $api.useQuery('get', '/api/v1/subscriptions/{subscription_id}/fields', { params: subscriptionPath(id ?? 0) }, {
    enabled: id !== null,
    retry: false,
  })
}

export function useCreateSubscription() {
  const refresh = useRefreshMessages()
  return useMutation({
    mutationFn: (body: SubscriptionCreate) => unwrap(api.POST('/api/v1/subscriptions', { body })),
    onSuccess: refresh,
  })
}

export function useUpdateSubscription() {
  const refresh = useRefreshMessages()
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: SubscriptionPatch }) =>
      unwrap(api.PATCH('/api/v1/subscriptions/{subscription_id}', { params: subscriptionPath(id), body })),
    onSuccess: refresh,
  })
}

export function useDeleteSubscription() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/subscriptions/{subscription_id}', { params: subscriptionPath(id) })),
    onSuccess: (_, id) => {
      // The deleted subscription's own queries would only answer 404 now.
      client.removeQueries({
        predicate: ({ queryKey }) => {
          const [, path, init] = queryKey as [unknown, unknown, { params?: { path?: { subscription_id?: number } } } | undefined]
          return typeof path === 'string' && path.startsWith('/api/v1/subscriptions/{subscription_id}') && init?.params?.path?.subscription_id === id
        },
      })
      void invalidatePaths(client, '/api/v1/subscriptions', '/api/v1/schemas')
    },
  })
}

/** The Kafka clusters of the catalog, to pick a subscription's from. */
export function useKafkaClusters() {
  return $api.useQuery('get', '/api/v1/kafka-clusters', { params: { query: { limit: 500 } } }, { retry: false, staleTime: 60_000 })
}

/** A cluster's topics, to pick a subscription's from (asks the cluster: may fail). */
export function useClusterTopics(cluster: string | undefined) {
  return $api.useQuery(
    'get',
    '/api/v1/topics',
    { params: { query: { cluster: cluster ?? '' } } },
    { enabled: Boolean(cluster), retry: false, staleTime: 30_000 },
  )
}

// --- stored messages ----------------------------------------------------------------------

/**
 * Search pages, newest first: each next page goes on from the one before (`after` its
 * `next`), whether the page filled up or the scan budget ended it early.
 */
export function useMessagePages(query: MessageQuery, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['get', '/api/v1/messages', { params: { query } }, 'pages'],
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET('/api/v1/messages', { params: { query: pageParam ? { ...query, after: pageParam } : query }, signal })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    enabled,
  })
}

export function useMessage(ref: MessageRef | null, version?: number) {
  const params = { ...messagePath(ref ?? { subscriptionId: 0, partition: 0, offset: 0 }), query: version ? { version } : {} }
  return $api.useQuery('get', '/api/v1/messages/{subscription_id}/{partition}/{offset}', { params }, {
    enabled: ref !== null,
    retry: false,
    // Another schema version of the same message keeps the shown one until it arrives;
    // another message does not.
    placeholderData: (previous, previousQuery) => {
      const before = (previousQuery?.queryKey[2] as { params?: { path?: object } } | undefined)?.params?.path
      return JSON.stringify(before) === JSON.stringify(params.path) ? previous : undefined
    },
  })
}

export function useReplay() {
  return useMutation({
    mutationFn: ({ ref, body }: { ref: MessageRef; body: ReplayBody }) =>
      unwrap(api.POST('/api/v1/messages/{subscription_id}/{partition}/{offset}/replay', { params: messagePath(ref), body })),
  })
}
