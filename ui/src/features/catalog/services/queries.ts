import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../../api/client'
import type { ServiceCreate, ServiceUpdate } from '../../../api/types'

export const servicesKey = ['services'] as const

export interface ServiceFilter {
  q: string
  team: string
  limit: number
  offset: number
}

export function useServices(filter: ServiceFilter) {
  return useQuery({
    queryKey: [...servicesKey, 'list', filter],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/services', {
          params: {
            query: {
              q: filter.q || undefined,
              team: filter.team || undefined,
              limit: filter.limit,
              offset: filter.offset,
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  })
}

export function useService(name: string) {
  return useQuery({
    queryKey: [...servicesKey, 'one', name],
    queryFn: () => unwrap(api.GET('/api/v1/services/{service}', { params: { path: { service: name } } })),
  })
}

export function useCreateService() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ServiceCreate) => unwrap(api.POST('/api/v1/services', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: servicesKey }),
  })
}

export function useUpdateService(name: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: ServiceUpdate) =>
      unwrap(api.PATCH('/api/v1/services/{service}', { params: { path: { service: name } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: servicesKey }),
  })
}

export function useDeleteService() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(api.DELETE('/api/v1/services/{service}', { params: { path: { service: name } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: servicesKey }),
  })
}
