import { describe, expect, it } from 'vitest'
import type { Team } from '../../../api/types'
import { TEAM_NAME_PATTERN, teamCreate, teamPatch, teamValues } from './teamBody'

const saved: Team = {
  id: 1,
  name: 'payments',
  display_name: 'Payments',
  description: '',
  members: ['bob', 'alice'],
  roles: [3, 2],
  created_at: '2025-01-01T00:00:00Z',
}

describe('team bodies', () => {
  it('creates with tidy members and roles', () => {
    expect(teamCreate({ ...teamValues(null), name: ' core ', members: [' bob', 'bob', '', 'alice'], roles: [2, 1, 2] })).toEqual({
      name: 'core',
      display_name: '',
      description: '',
      members: ['alice', 'bob'],
      roles: [1, 2],
    })
  })

  it('patches only what changed, never the name', () => {
    const initial = teamValues(saved)
    expect(teamPatch(initial, initial)).toEqual({})
    expect(teamPatch({ ...initial, members: ['alice', 'bob'] }, initial)).toEqual({})
    expect(teamPatch({ ...initial, members: ['alice'] }, initial)).toEqual({ members: ['alice'] })
    expect(teamPatch({ ...initial, roles: [] }, initial)).toEqual({ roles: [] })
    expect(teamPatch({ ...initial, name: 'renamed' }, initial)).not.toHaveProperty('name')
  })

  it('matches the backend team name rule', () => {
    for (const ok of ['a', 'payments', 'team-2', 'a'.repeat(100)]) expect(TEAM_NAME_PATTERN.test(ok)).toBe(true)
    for (const bad of ['', '-a', 'a-', 'Payments', 'a_b', 'a'.repeat(101)]) expect(TEAM_NAME_PATTERN.test(bad)).toBe(false)
  })
})
