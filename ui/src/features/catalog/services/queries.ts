import { keepPreviousData, useMutation, useQueryClient } from '@tanstack/react-query'
import { $api, api, invalidatePaths, unwrap } from '../../../api/client'
import type { ServiceCreate, ServiceUpdate } from '../../../api/types'

export interface ServiceFilter {
  q: string
  team: string
  attention?: boolean
  limit: number
  offset: number
}

export function useServices(filter: ServiceFilter) {
  const query = {
    q: filter.q || undefined,
    team: filter.team || undefined,
    attention: filter.attention || undefined,
    limit: filter.limit, offset: filter.offset }
  return $api.useQuery('get', '/api/v1/services', { params: { query } }, { placeholderData: keepPreviousData })
}

export function useService(name: string) {
  return $api.useQuery('get', '/api/v1/services/{service}', { params: { path: { service: name } } })
}

export function useCreateService() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ServiceCreate) => unwrap(api.POST('/api/v1/services', { body })),
    onSuccess: () => invalidatePaths(client, '/api/v1/services'),
  })
}

export function useUpdateService(name: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ServiceUpdate) =>
      unwrap(api.PATCH('/api/v1/services/{service}', { params: { path: { service: name } }, body })),
    onSuccess: () => invalidatePaths(client, '/api/v1/services'),
  })
}

export function useDeleteService() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(api.DELETE('/api/v1/services/{service}', { params: { path: { service: name } } })),
    // Not awaited: the refetch answers 404 for the deleted service, and the page then
    // unmounts the confirmation before its own onSuccess could leave the page.
    onSuccess: () => {
      void invalidatePaths(client, '/api/v1/services')
    },
  })
}
