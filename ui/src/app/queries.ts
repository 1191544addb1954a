import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '../api/client'

export const modulesKey = ['modules'] as const

export function useModules() {
  return useQuery({
    queryKey: modulesKey,
    queryFn: () => unwrap(api.GET('/api/v1/modules')),
    staleTime: 5 * 60_000,
  })
}
