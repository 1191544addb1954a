import type { ReactNode } from 'react'
import { Segmented } from 'antd'
import { Outlet, useLocation, useNavigate } from 'react-router'

export interface Section {
  /** The section's path; deeper paths belong to it too. */
  value: string
  label: string
  icon: ReactNode
  testId: string
}

/** The section a path belongs to: the longest section path it starts with, else `fallback`. */
export function currentSection(sections: readonly Section[], pathname: string, fallback: string): string {
  const matches = sections.filter((s) => pathname === s.value || pathname.startsWith(`${s.value}/`))
  matches.sort((a, b) => b.value.length - a.value.length)
  return matches[0]?.value ?? fallback
}

interface Props {
  sections: readonly Section[]
  fallback: string
  testId: string
}

/** A module's sub-navigation above its pages (catalog, access ...). */
export function SectionNav({ sections, fallback, testId }: Props) {
  const { pathname } = useLocation()
  const navigate = useNavigate()
  return (
    <>
      <div style={{ marginBottom: 20, overflowX: 'auto' }}>
        <Segmented
          data-testid={testId}
          value={currentSection(sections, pathname, fallback)}
          onChange={(value) => navigate(String(value))}
          options={sections.map((s) => ({
            value: s.value,
            icon: s.icon,
            label: <span data-testid={s.testId}>{s.label}</span>,
          }))}
        />
      </div>
      <Outlet />
    </>
  )
}
