/** The editor's requests: the monitor being edited, the pickers' lists, previews and save. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { $api, api, invalidatePaths, unwrap } from '../../../api/client'
import type { MonitorDefinition, MonitorUpdate, Schedule } from './model'

/** Lists the pickers load whole: a page this size holds any realistic catalog. */
const PICKER_LIMIT = 500

export function useMonitor(id: number | null) {
  return $api.useQuery('get', '/api/v1/monitors/{monitor_id}', { params: { path: { monitor_id: id ?? 0 } } }, { enabled: id !== null })
}

const picker = { query: { limit: PICKER_LIMIT, offset: 0 } }

export function useServiceOptions() {
  return $api.useQuery('get', '/api/v1/services', { params: picker }, { staleTime: 60_000 })
}

export function useDatasourceOptions(service: string | undefined) {
  return $api.useQuery(
    'get',
    '/api/v1/services/{service}/datasources',
    { params: { ...picker, path: { service: service ?? '' } } },
    { enabled: Boolean(service), staleTime: 60_000 },
  )
}

export function useChannelOptions() {
  return $api.useQuery('get', '/api/v1/notification-channels', { params: picker }, { staleTime: 60_000 })
}

/** The next five runs of `schedule` (null while incomplete: nothing is asked). */
export function useNextRuns(schedule: Schedule | null, monitorId: number | null) {
  return useQuery({
    queryKey: ['monitors', 'schedule-preview', schedule, monitorId],
    queryFn: () =>
      unwrap(
        api.POST('/api/v1/monitors/schedule-preview', {
          body: { schedule: schedule as Schedule, monitor_id: monitorId, count: 5 },
        }),
      ),
    enabled: schedule !== null,
    placeholderData: keepPreviousData,
    retry: false,
  })
}

/** Preview; when editing, the saved monitor's secret headers stand in for those not typed. */
export function usePreview(monitorId: number | null) {
  return useMutation({
    mutationFn: (body: MonitorDefinition) =>
      unwrap(api.POST('/api/v1/monitors/preview', { body, params: { query: { monitor_id: monitorId } } })),
  })
}

/** Create (no id) or change a monitor; every monitors query is stale afterwards. */
export function useSaveMonitor(id: number | null) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: { create: MonitorDefinition } | { update: MonitorUpdate }) =>
      'create' in body
        ? unwrap(api.POST('/api/v1/monitors', { body: body.create }))
        : unwrap(api.PATCH('/api/v1/monitors/{monitor_id}', { params: { path: { monitor_id: id ?? 0 } }, body: body.update })),
    onSuccess: () => invalidatePaths(client, '/api/v1/monitors', '/api/v1/alerts'),
  })
}
