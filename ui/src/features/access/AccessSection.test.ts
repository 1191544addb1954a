import { describe, expect, it } from 'vitest'
import { resolveIcon } from '../../app/icons'
import { TeamOutlined } from '@ant-design/icons'
import { currentAccessSection } from './AccessSection'

describe('access sub-navigation', () => {
  it('selects the section a path lies under, users by default', () => {
    expect(currentAccessSection('/access/users')).toBe('/access/users')
    expect(currentAccessSection('/access/users/7')).toBe('/access/users')
    expect(currentAccessSection('/access/teams')).toBe('/access/teams')
    expect(currentAccessSection('/access/roles')).toBe('/access/roles')
    expect(currentAccessSection('/access/groups')).toBe('/access/groups')
    expect(currentAccessSection('/access')).toBe('/access/users')
    expect(currentAccessSection('/access/rolesx')).toBe('/access/users')
  })

  it('has the icon the access module names', () => {
    expect(resolveIcon('TeamOutlined')).toBe(TeamOutlined)
  })
})
