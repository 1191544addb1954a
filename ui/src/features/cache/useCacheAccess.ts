import { useCallback, useMemo } from 'react'
import { usePermissions } from '../auth/queries'
import { useServices } from '../catalog/services/queries'
import { NEEDS_CACHE_WRITE, READ_ONLY_REASON } from './format'
import type { InstanceSummary } from './types'

const ALL_SERVICES = { q: '', team: '', limit: 500, offset: 0 }

export interface WriteCheck {
  allowed: boolean
  /** Why not, for the disabled action's tooltip. */
  reason: string
}

/**
 * Whether the user may change an instance's keys. An instance names its service but not
 * the service's team, and a permission may reach a whole team: the service list
 * supplies the team. A read-only instance refuses every change, even an admin's.
 */
export function useCacheAccess() {
  const { can, ready } = usePermissions()
  const services = useServices(ALL_SERVICES)
  const teams = useMemo(() => new Map((services.data?.items ?? []).map((s) => [s.name, s.team ?? null])), [services.data])
  const writeCheck = useCallback(
    (instance: Pick<InstanceSummary, 'service' | 'read_only'>): WriteCheck => {
      if (instance.read_only) return { allowed: false, reason: READ_ONLY_REASON }
      const allowed = ready && can('cache', 'write', { name: instance.service, team: teams.get(instance.service) ?? null })
      return { allowed, reason: NEEDS_CACHE_WRITE }
    },
    [can, ready, teams],
  )
  return { writeCheck }
}
