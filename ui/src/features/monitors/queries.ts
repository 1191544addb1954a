import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { $api, api, invalidatePaths, unwrap } from '../../api/client'
import { RANGES, type RangeKey } from './chart'
import type { Page } from '../../api/types'
import type { Alert, AlertQuery, MonitorPatch, MonitorQuery } from './types'

export type AlertRow = Alert & { id: number }


/** The detail page follows the scheduler: new runs and state changes show up within this. */
export const DETAIL_REFRESH_MS = 10_000
/** The alerts page is watched on a screen: refresh it on its own. */
export const ALERTS_REFRESH_MS = 15_000
/** The most runs the chart asks for (the API's largest page). */
export const CHART_LIMIT = 500

const path = (id: number) => ({ path: { monitor_id: id } })

function isOfMonitor(queryKey: readonly unknown[], id: number): boolean {
  const [method, route, init] = queryKey as [unknown, unknown, { params?: { path?: { monitor_id?: number } } } | undefined]
  return method === 'get' && typeof route === 'string' && route.startsWith('/api/v1/monitors/{monitor_id}') && init?.params?.path?.monitor_id === id
}

export function useMonitors(query: MonitorQuery) {
  return $api.useQuery('get', '/api/v1/monitors', { params: { query } }, { placeholderData: keepPreviousData })
}

export function useMonitor(id: number | null) {
  return $api.useQuery('get', '/api/v1/monitors/{monitor_id}', { params: path(id ?? 0) }, {
    enabled: id !== null,
    refetchInterval: DETAIL_REFRESH_MS,
  })
}

/** The runs of the chart's time range; `since` is taken when fetching, so the key (under
 * the results path, for invalidation) names the range rather than the instant. */
export function useChartResults(id: number, range: RangeKey) {
  return useQuery({
    queryKey: ['get', '/api/v1/monitors/{monitor_id}/results', { chart: range, ...path(id) }],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/monitors/{monitor_id}/results', {
          params: {
            ...path(id),
            query: { since: new Date(Date.now() - RANGES[range].ms).toISOString(), limit: CHART_LIMIT },
          },
        }),
      ).then((page) => ({ ...page, fetchedAt: Date.now() })),
    placeholderData: keepPreviousData,
    refetchInterval: DETAIL_REFRESH_MS,
  })
}

export function useRunHistory(id: number, limit: number, offset: number) {
  return $api.useQuery(
    'get',
    '/api/v1/monitors/{monitor_id}/results',
    { params: { ...path(id), query: { limit, offset } } },
    { placeholderData: keepPreviousData, refetchInterval: DETAIL_REFRESH_MS },
  )
}

export function useMonitorEvents(id: number, limit: number) {
  return $api.useQuery(
    'get',
    '/api/v1/monitors/{monitor_id}/events',
    { params: { ...path(id), query: { limit } } },
    { placeholderData: keepPreviousData, refetchInterval: DETAIL_REFRESH_MS },
  )
}

export function useAlerts(query: AlertQuery) {
  return $api.useQuery('get', '/api/v1/alerts', { params: { query } }, {
    // Rows of a table need an id: an alert is its monitor's.
    select: (page): Page<AlertRow> => ({ ...page, items: page.items.map((alert) => ({ ...alert, id: alert.monitor.id })) }),
    placeholderData: keepPreviousData,
    refetchInterval: ALERTS_REFRESH_MS,
  })
}

/** Every change to a monitor can move it in the lists and on the alerts page: refresh them all. */
function useRefreshAll() {
  const client = useQueryClient()
  return () => invalidatePaths(client, '/api/v1/monitors', '/api/v1/alerts')
}

export function useRunMonitor() {
  const refresh = useRefreshAll()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.POST('/api/v1/monitors/{monitor_id}/run', { params: path(id) })),
    onSuccess: refresh,
  })
}

export function usePatchMonitor() {
  const refresh = useRefreshAll()
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: MonitorPatch }) =>
      unwrap(api.PATCH('/api/v1/monitors/{monitor_id}', { params: path(id), body })),
    onSuccess: refresh,
  })
}

export function useDeleteMonitor() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/monitors/{monitor_id}', { params: path(id) })),
    onSuccess: (_, id) => {
      // The deleted monitor's own queries would only answer 404 now.
      client.removeQueries({ predicate: ({ queryKey }) => isOfMonitor(queryKey, id) })
      void invalidatePaths(client, '/api/v1/monitors', '/api/v1/alerts')
    },
  })
}

export function useMute() {
  const refresh = useRefreshAll()
  return useMutation({
    mutationFn: ({ id, until }: { id: number; until: string }) =>
      unwrap(api.POST('/api/v1/monitors/{monitor_id}/mute', { params: path(id), body: { until } })),
    onSuccess: refresh,
  })
}

export function useUnmute() {
  const refresh = useRefreshAll()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/monitors/{monitor_id}/mute', { params: path(id) })),
    onSuccess: refresh,
  })
}

export function useAcknowledge() {
  const refresh = useRefreshAll()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.POST('/api/v1/monitors/{monitor_id}/acknowledge', { params: path(id) })),
    onSuccess: refresh,
  })
}
