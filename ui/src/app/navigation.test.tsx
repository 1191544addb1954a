import { isValidElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { MemoryRouter } from 'react-router'
import { describe, expect, it } from 'vitest'
import type { Module } from '../api/types'
import { buildMenuItems, moduleNavEntries, selectedNavKey } from './navigation'

const modules: Module[] = [
  { name: 'auth', title: 'Login', description: 'Accounts', path: null, icon: null, permissions: [] },
  { name: 'catalog', title: 'Service catalog', description: 'Services', path: '/catalog', icon: 'AppstoreOutlined', permissions: [] },
  { name: 'monitors', title: 'Monitors', description: 'Checks', path: '/monitors', icon: 'MadeUpIcon', permissions: [] },
  { name: 'catalog_admin', title: 'Catalog admin', description: '', path: '/catalog-admin', icon: 'SettingOutlined', permissions: [] },
]

describe('moduleNavEntries', () => {
  it('keeps only modules with a page, in API order', () => {
    expect(moduleNavEntries(modules).map((e) => e.key)).toEqual(['/catalog', '/monitors', '/catalog-admin'])
  })

  it('carries title, icon name and a test id', () => {
    expect(moduleNavEntries(modules)[1]).toEqual({
      key: '/monitors',
      module: 'monitors',
      path: '/monitors',
      title: 'Monitors',
      icon: 'MadeUpIcon',
      testId: 'nav-monitors',
    })
  })

  it('is empty without modules (nothing hard-coded)', () => {
    expect(moduleNavEntries([])).toEqual([])
  })
})

describe('buildMenuItems', () => {
  it('shows a badge only on modules with something needing attention', () => {
    const html = (items: ReturnType<typeof buildMenuItems>) =>
      items.map((item) => (item && 'label' in item ? renderToStaticMarkup(<MemoryRouter>{item.label}</MemoryRouter>) : ''))
    const labels = html(buildMenuItems(modules, { monitors: 3 }))
    expect(labels[2]).toContain('nav-badge-monitors')
    expect(labels.filter((label) => label.includes('nav-badge-'))).toHaveLength(1)
    expect(html(buildMenuItems(modules, { monitors: 0 })).join('')).not.toContain('nav-badge-')
  })

  it('starts with Home, then one item per module page', () => {
    const items = buildMenuItems(modules)
    expect(items.map((item) => item?.key)).toEqual(['/', '/catalog', '/monitors', '/catalog-admin'])
    for (const item of items) {
      expect(item && 'icon' in item && isValidElement(item.icon)).toBe(true)
      expect(item && 'label' in item && isValidElement(item.label)).toBe(true)
    }
  })

  it('shows only Home when the API lists no module with a page', () => {
    expect(buildMenuItems([modules[0]]).map((item) => item?.key)).toEqual(['/'])
  })
})

describe('selectedNavKey', () => {
  it('selects the module a path lies under', () => {
    expect(selectedNavKey('/catalog', modules)).toBe('/catalog')
    expect(selectedNavKey('/catalog/services/orders', modules)).toBe('/catalog')
    expect(selectedNavKey('/catalog-admin/x', modules)).toBe('/catalog-admin')
  })

  it('selects Home at the root and nothing elsewhere', () => {
    expect(selectedNavKey('/', modules)).toBe('/')
    expect(selectedNavKey('/account/tokens', modules)).toBeNull()
  })
})
