import { Badge, Flex, type MenuProps } from 'antd'
import { HomeOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import type { Module } from '../api/types'
import { ModuleIcon } from './icons'

export interface NavEntry {
  key: string
  module: string | null
  path: string
  title: string
  icon: string | null
  testId: string
}

export const HOME_ENTRY: NavEntry = { key: '/', module: null, path: '/', title: 'Home', icon: 'HomeOutlined', testId: 'nav-home' }

/** Modules that have a page, in the order the API lists them. */
export function moduleNavEntries(modules: readonly Module[]): NavEntry[] {
  return modules
    .filter((m): m is Module & { path: string } => typeof m.path === 'string' && m.path.startsWith('/'))
    .map((m) => ({ key: m.path, module: m.name, path: m.path, title: m.title, icon: m.icon ?? null, testId: `nav-${m.name}` }))
}

/** Counts of things needing attention, by module name (the sidebar badges). */
export type BadgeCounts = Readonly<Record<string, number>>

export function buildMenuItems(modules: readonly Module[], badges: BadgeCounts = {}): NonNullable<MenuProps['items']> {
  return [HOME_ENTRY, ...moduleNavEntries(modules)].map((entry) => {
    const count = entry.module ? (badges[entry.module] ?? 0) : 0
    return {
      key: entry.key,
      icon: entry.key === '/' ? <HomeOutlined /> : <ModuleIcon name={entry.icon} />,
      label: (
        <Link to={entry.path} data-testid={entry.testId}>
          <Flex align="center" justify="space-between" gap={8}>
            <span>{entry.title}</span>
            {count > 0 && (
              <Badge
                count={count}
                overflowCount={99}
                size="small"
                data-testid={`nav-badge-${entry.module}`}
                title={`${count} need${count === 1 ? 's' : ''} attention`}
              />
            )}
          </Flex>
        </Link>
      ),
    }
  })
}

/** The menu key for a location: the longest module path it lies under, else Home. */
export function selectedNavKey(pathname: string, modules: readonly Module[]): string | null {
  let best: string | null = null
  for (const { path } of moduleNavEntries(modules)) {
    const base = path.replace(/\/+$/, '')
    if ((pathname === base || pathname.startsWith(`${base}/`)) && (!best || base.length > best.length)) best = path
  }
  if (best) return best
  return pathname === '/' ? '/' : null
}
