import { useCallback, useMemo } from 'react'
import { usePermissions } from '../auth/queries'
import { useServices } from '../catalog/services/queries'

/** The services the user can see: enough for the service filter and for team-scoped permissions. */
const ALL_SERVICES = { q: '', team: '', limit: 500, offset: 0 }

/**
 * What the user may do with monitors. A monitor names its service but not the service's
 * team, and a permission may reach a whole team: the service list supplies the team.
 */
export function useMonitorAccess() {
  const { can, canAny } = usePermissions()
  const services = useServices(ALL_SERVICES)
  const teams = useMemo(() => new Map((services.data?.items ?? []).map((s) => [s.name, s.team ?? null])), [services.data])
  const serviceNames = useMemo(() => [...teams.keys()].sort(), [teams])
  const ref = useCallback((service: string) => ({ name: service, team: teams.get(service) ?? null }), [teams])
  const canWrite = useCallback((service: string) => can('monitors', 'write', ref(service)), [can, ref])
  const canSeeHistory = useCallback((service: string) => can('audit', 'read', ref(service)), [can, ref])
  return { canWriteAny: canAny('monitors', 'write'), canWrite, canSeeHistory, serviceNames }
}
