import { AppstoreOutlined, DatabaseOutlined, DashboardOutlined } from '@ant-design/icons'
import { describe, expect, it } from 'vitest'
import { FALLBACK_ICON, MODULE_ICONS, resolveIcon } from './icons'

describe('resolveIcon', () => {
  it('maps known Ant Design icon names', () => {
    expect(resolveIcon('DatabaseOutlined')).toBe(DatabaseOutlined)
    expect(resolveIcon('DashboardOutlined')).toBe(DashboardOutlined)
  })

  it('falls back for unknown, empty or missing names', () => {
    expect(FALLBACK_ICON).toBe(AppstoreOutlined)
    for (const name of ['NoSuchIcon', '', null, undefined, 'databaseoutlined', 'toString', '__proto__']) {
      expect(resolveIcon(name)).toBe(FALLBACK_ICON)
    }
  })

  it('only lists real icon components', () => {
    for (const [name, icon] of Object.entries(MODULE_ICONS)) {
      expect(name).toMatch(/(Outlined|Filled|TwoTone)$/)
      expect(icon).toBeTruthy()
    }
  })
})
