/**
 * What the logged-in user may do, from GET /auth/me/permissions. The UI only hides or
 * disables what is not allowed; the API enforces every permission anyway.
 */
import type { MyPermission } from '../../api/types'

export interface ServiceRef {
  name: string
  team?: string | null
}

function matching(perms: readonly MyPermission[], module: string, action: string): MyPermission[] {
  return perms.filter((p) => p.module === module && p.action === action)
}

/**
 * Whether `perms` allow `module`.`action`: on `service` when one is given (a permission
 * reaching everything, the service by name, or its team), otherwise everywhere (only a
 * permission reaching everything counts, as for platform-wide objects).
 */
export function can(perms: readonly MyPermission[], module: string, action: string, service?: ServiceRef | null): boolean {
  return matching(perms, module, action).some(
    (p) =>
      p.everything ||
      (service != null &&
        (p.services.includes(service.name) || (service.team != null && service.team !== '' && p.teams.includes(service.team)))),
  )
}

/** Whether `perms` hold `module`.`action` anywhere at all (everything, or some services or teams). */
export function canAny(perms: readonly MyPermission[], module: string, action: string): boolean {
  return matching(perms, module, action).some((p) => p.everything || p.services.length > 0 || p.teams.length > 0)
}

export const NEEDS_CATALOG_WRITE = 'You need the catalog write permission for this service'
export const NEEDS_CATALOG_WRITE_EVERYWHERE = 'You need the catalog write permission on every service for this'
