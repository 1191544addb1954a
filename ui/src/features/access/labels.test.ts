import { describe, expect, it } from 'vitest'
import type { EffectivePermission, HeldRole } from '../../api/types'
import { inheritedRoles, manualRoleIds, permissionReach, roleColor, roleSourceLabel, sameIds, sortPermissions } from './labels'

const roles: HeldRole[] = [
  { id: 3, name: 'Deployer', source: 'manual', via: null },
  { id: 2, name: 'Viewer', source: 'team', via: 'payments' },
  { id: 4, name: 'Oncall', source: 'directory', via: 'cn=sre,ou=groups,dc=example' },
  { id: 1, name: 'Admin', source: 'manual' },
]

describe('role sources', () => {
  it('says where a role comes from', () => {
    expect(roleSourceLabel(roles[0])).toBe('given by hand')
    expect(roleSourceLabel(roles[1])).toBe('via team payments')
    expect(roleSourceLabel(roles[2])).toBe('from directory group cn=sre,ou=groups,dc=example')
    expect(roleSourceLabel({ source: 'team', via: null })).toBe('via a team')
    expect(roleSourceLabel({ source: 'directory' })).toBe('from a directory group')
  })

  it('colours tags by source', () => {
    expect(new Set([roleColor('manual'), roleColor('team'), roleColor('directory')]).size).toBe(3)
  })

  it('splits manual roles (editable) from inherited ones', () => {
    expect(manualRoleIds(roles)).toEqual([1, 3])
    expect(inheritedRoles(roles).map((r) => r.name)).toEqual(['Viewer', 'Oncall'])
  })

  it('compares id sets regardless of order and repeats', () => {
    expect(sameIds([1, 3], [3, 1, 1])).toBe(true)
    expect(sameIds([1], [1, 2])).toBe(false)
    expect(sameIds([], [])).toBe(true)
  })
})

describe('effective permissions', () => {
  const perms: EffectivePermission[] = [
    { module: 'access', action: 'write', everything: false, services: [], teams: ['core'] },
    { module: 'catalog', action: 'write', everything: false, services: ['orders'], teams: [] },
    { module: 'catalog', action: 'read', everything: true, services: [], teams: [] },
    { module: 'zzz', action: 'export', everything: true, services: [], teams: [] },
    { module: 'access', action: 'read', everything: true, services: [], teams: [] },
  ]

  it('says what each reaches', () => {
    expect(permissionReach(perms[2])).toEqual({ kind: 'all' })
    expect(permissionReach(perms[1])).toEqual({ kind: 'some', services: ['orders'], teams: [] })
  })

  it('sorts by catalogue order, then read, write, others', () => {
    expect(sortPermissions(perms, ['catalog', 'access']).map((p) => `${p.module}.${p.action}`)).toEqual([
      'catalog.read',
      'catalog.write',
      'access.read',
      'access.write',
      'zzz.export',
    ])
  })
})
