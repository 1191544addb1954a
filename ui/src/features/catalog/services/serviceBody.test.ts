import { describe, expect, it } from 'vitest'
import type { Service } from '../../../api/types'
import { SLUG_PATTERN, isHttpUrl, serviceCreate, servicePatch, serviceValues } from './serviceBody'

const saved: Service = {
  id: 1,
  name: 'orders',
  display_name: 'Orders',
  team: 'payments',
  description: 'Takes orders',
  base_url: 'https://orders.internal',
  links: [{ title: 'Runbook', url: 'https://wiki/runbook' }],
  tags: ['tier-1'],
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-01T00:00:00Z',
  connections: { datasources: 1, redis: 0, job_backends: 0, debug_endpoints: 0 },
  health: { state: 'untested', failing: [], passing: 0, untested: 1 },
  signals: [],
}

describe('service bodies', () => {
  it('creates with blank optionals as null and tidy tags and links', () => {
    const values = {
      ...serviceValues(null),
      name: ' orders ',
      tags: [' a ', 'a', '', 'b'],
      links: [
        { title: ' Docs ', url: ' https://docs ' },
        { title: '', url: '' },
      ],
    }
    expect(serviceCreate(values)).toEqual({
      name: 'orders',
      display_name: '',
      team: null,
      description: '',
      base_url: null,
      links: [{ title: 'Docs', url: 'https://docs' }],
      tags: ['a', 'b'],
    })
  })

  it('patches only what changed, with null for a cleared team or base URL', () => {
    const initial = serviceValues(saved)
    expect(servicePatch(initial, initial)).toEqual({})
    expect(servicePatch({ ...initial, team: '', base_url: ' ' }, initial)).toEqual({ team: null, base_url: null })
    expect(servicePatch({ ...initial, tags: ['tier-1', 'pci'] }, initial)).toEqual({ tags: ['tier-1', 'pci'] })
  })

  it('never sends the name in a patch', () => {
    const initial = serviceValues(saved)
    expect(servicePatch({ ...initial, name: 'renamed' }, initial)).not.toHaveProperty('name')
  })

  it('matches the backend slug rule', () => {
    for (const ok of ['a', 'orders', 'order-api-2', 'a'.repeat(63)]) expect(SLUG_PATTERN.test(ok)).toBe(true)
    for (const bad of ['', '-a', 'a-', 'Orders', 'a_b', 'a'.repeat(64)]) expect(SLUG_PATTERN.test(bad)).toBe(false)
  })
})

describe('isHttpUrl', () => {
  it('accepts internal and public http(s) URLs', () => {
    for (const ok of ['http://127.0.0.1:9', 'https://orders.internal:8080', 'http://orders:8080/api', 'http://10.0.0.5', 'https://example.com']) {
      expect(isHttpUrl(ok)).toBe(true)
    }
  })

  it('rejects other schemes and non-URLs', () => {
    for (const bad of ['orders.internal', 'ftp://x', 'javascript:alert(1)', '', 'http://']) expect(isHttpUrl(bad)).toBe(false)
  })
})
