import { useCallback, useMemo } from 'react'
import { usePermissions } from '../auth/queries'
import { useServices } from '../catalog/services/queries'

const ALL_SERVICES = { q: '', team: '', limit: 500, offset: 0 }

/**
 * What the user may do with messages. A subscription or schema names its service but
 * not the service's team, and a permission may reach a whole team: the service list
 * supplies the team.
 */
export function useMessagesAccess() {
  const { can, canAny } = usePermissions()
  const services = useServices(ALL_SERVICES)
  const teams = useMemo(() => new Map((services.data?.items ?? []).map((s) => [s.name, s.team ?? null])), [services.data])
  const ref = useCallback((service: string) => ({ name: service, team: teams.get(service) ?? null }), [teams])
  const canWrite = useCallback((service: string) => can('messages', 'write', ref(service)), [can, ref])
  const canExport = useCallback((service: string) => can('messages', 'export', ref(service)), [can, ref])
  /** The services the user may add subscriptions and schemas to. */
  const writableServices = useMemo(
    () => [...teams.keys()].filter((name) => can('messages', 'write', ref(name))).sort(),
    [teams, can, ref],
  )
  return {
    canWriteAny: canAny('messages', 'write'),
    canExportAny: canAny('messages', 'export'),
    canWrite,
    canExport,
    writableServices,
  }
}
