/** Pure helpers for how roles, sources and permission reach read on the access pages. */
import type { EffectivePermission, HeldRole } from '../../api/types'

export const SOURCE_COLORS: Record<HeldRole['source'], string> = {
  manual: 'blue',
  team: 'green',
  directory: 'purple',
}

/** Where a held role comes from, for a tag's tooltip or a list line. */
export function roleSourceLabel(role: Pick<HeldRole, 'source' | 'via'>): string {
  if (role.source === 'team') return role.via ? `via team ${role.via}` : 'via a team'
  if (role.source === 'directory') return role.via ? `from directory group ${role.via}` : 'from a directory group'
  return 'given by hand'
}

export function roleColor(source: HeldRole['source']): string {
  return SOURCE_COLORS[source] ?? 'default'
}

/** The ids of the roles given by hand: what PATCH /users/{id} `roles` replaces. */
export function manualRoleIds(roles: readonly HeldRole[]): number[] {
  return [...new Set(roles.filter((r) => r.source === 'manual').map((r) => r.id))].sort((a, b) => a - b)
}

/** Roles held through a team or a directory group (read-only on the user page). */
export function inheritedRoles(roles: readonly HeldRole[]): HeldRole[] {
  return roles.filter((r) => r.source !== 'manual')
}

export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  const left = [...new Set(a)].sort((x, y) => x - y)
  const right = [...new Set(b)].sort((x, y) => x - y)
  return left.length === right.length && left.every((id, i) => id === right[i])
}

export type Reach = { kind: 'all' } | { kind: 'some'; services: string[]; teams: string[] }

/** What an effective permission reaches: every service, or the listed services and teams. */
export function permissionReach(permission: EffectivePermission): Reach {
  if (permission.everything) return { kind: 'all' }
  return { kind: 'some', services: [...permission.services], teams: [...permission.teams] }
}

/** Effective permissions in the catalogue's module order, read before write before the rest. */
export function sortPermissions(
  permissions: readonly EffectivePermission[],
  moduleOrder: readonly string[],
): EffectivePermission[] {
  const rank = (module: string) => {
    const i = moduleOrder.indexOf(module)
    return i < 0 ? moduleOrder.length : i
  }
  const actionRank = (action: string) => (action === 'read' ? 0 : action === 'write' ? 1 : 2)
  return [...permissions].sort(
    (a, b) =>
      rank(a.module) - rank(b.module) ||
      a.module.localeCompare(b.module) ||
      actionRank(a.action) - actionRank(b.action) ||
      a.action.localeCompare(b.action),
  )
}
