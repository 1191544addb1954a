import { $api } from '../api/client'

export function useModules() {
  return $api.useQuery('get', '/api/v1/modules', undefined, { staleTime: 5 * 60_000 })
}

/** Per module, how many things need attention; refreshed every half minute. */
export function useBadges() {
  return $api.useQuery('get', '/api/v1/home/badges', undefined, { refetchInterval: 30_000 })
}
