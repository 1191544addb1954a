import { $api } from '../api/client'

export function useModules() {
  return $api.useQuery('get', '/api/v1/modules', undefined, { staleTime: 5 * 60_000 })
}
