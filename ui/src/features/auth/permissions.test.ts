import { describe, expect, it } from 'vitest'
import type { MyPermission } from '../../api/types'
import { can, canAny } from './permissions'

const p = (module: string, action: string, reach: Partial<MyPermission> = {}): MyPermission => ({
  module,
  action,
  everything: false,
  services: [],
  teams: [],
  ...reach,
})

describe('can', () => {
  const perms = [
    p('catalog', 'read', { everything: true }),
    p('catalog', 'write', { services: ['orders'], teams: ['payments'] }),
    p('access', 'read', { everything: true }),
  ]

  it('is false with no permissions at all', () => {
    expect(can([], 'catalog', 'read')).toBe(false)
    expect(can([], 'catalog', 'read', { name: 'orders', team: 'payments' })).toBe(false)
    expect(canAny([], 'catalog', 'read')).toBe(false)
  })

  it('allows anything under a permission that reaches everything', () => {
    expect(can(perms, 'catalog', 'read')).toBe(true)
    expect(can(perms, 'catalog', 'read', { name: 'whatever', team: null })).toBe(true)
    expect(can(perms, 'access', 'read')).toBe(true)
  })

  it('allows a service by name or by team', () => {
    expect(can(perms, 'catalog', 'write', { name: 'orders', team: null })).toBe(true)
    expect(can(perms, 'catalog', 'write', { name: 'billing', team: 'payments' })).toBe(true)
    expect(can(perms, 'catalog', 'write', { name: 'billing', team: 'core' })).toBe(false)
    expect(can(perms, 'catalog', 'write', { name: 'billing' })).toBe(false)
    expect(can(perms, 'catalog', 'write', { name: 'billing', team: '' })).toBe(false)
  })

  it('needs everything when no service is given (platform-wide objects)', () => {
    expect(can(perms, 'catalog', 'write')).toBe(false)
    expect(can(perms, 'catalog', 'write', null)).toBe(false)
  })

  it('matches module and action exactly', () => {
    expect(can(perms, 'access', 'write')).toBe(false)
    expect(can(perms, 'audit', 'read')).toBe(false)
    expect(can(perms, 'catalog', 'delete', { name: 'orders' })).toBe(false)
    expect(can(perms, 'Catalog', 'read')).toBe(false)
  })

  it('combines several entries of the same permission', () => {
    const split = [p('catalog', 'write', { services: ['a'] }), p('catalog', 'write', { teams: ['t'] })]
    expect(can(split, 'catalog', 'write', { name: 'a' })).toBe(true)
    expect(can(split, 'catalog', 'write', { name: 'b', team: 't' })).toBe(true)
    expect(can(split, 'catalog', 'write', { name: 'b', team: 'u' })).toBe(false)
  })
})

describe('canAny', () => {
  it('is true when the permission reaches anything', () => {
    expect(canAny([p('catalog', 'write', { teams: ['payments'] })], 'catalog', 'write')).toBe(true)
    expect(canAny([p('catalog', 'write', { services: ['orders'] })], 'catalog', 'write')).toBe(true)
    expect(canAny([p('catalog', 'write', { everything: true })], 'catalog', 'write')).toBe(true)
  })

  it('is false for an entry that reaches nothing or another permission', () => {
    expect(canAny([p('catalog', 'write')], 'catalog', 'write')).toBe(false)
    expect(canAny([p('catalog', 'read', { everything: true })], 'catalog', 'write')).toBe(false)
  })
})
