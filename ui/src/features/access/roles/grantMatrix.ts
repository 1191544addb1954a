/**
 * A role's grants as a matrix: one row per module (plus "*", every module), one cell
 * per action (plus "*", every action of the row). A checked cell holds its scope.
 * The server decides what a grant implies (write includes read): the matrix sends
 * exactly what is checked.
 */
import type { Grant, GrantScope, Permission } from '../../../api/types'

export const ANY = '*'
export const BASE_ACTIONS = ['read', 'write'] as const

export interface GrantCell {
  scope: GrantScope
  /** Team or service names; empty when the scope is 'all'. */
  targets: string[]
}

/** Checked cells by module, then action. A missing cell is unchecked. */
export type GrantMatrix = Record<string, Record<string, GrantCell>>

export interface MatrixRow {
  module: string
  title: string
  /** The row's actions in display order: read, write, the module's other actions, then "*". */
  actions: string[]
}

function actionRank(action: string): number {
  if (action === 'read') return 0
  if (action === 'write') return 1
  if (action === ANY) return 3
  return 2
}

export function compareActions(a: string, b: string): number {
  return actionRank(a) - actionRank(b) || a.localeCompare(b)
}

function tidy(targets: readonly string[] | undefined): string[] {
  return [...new Set((targets ?? []).map((t) => t.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b))
}

/**
 * The rows to show: "All modules" first, then the catalogue's modules in its order,
 * then any module a grant names that the catalogue no longer declares.
 */
export function matrixRows(permissions: readonly Permission[], grants: readonly Grant[] = []): MatrixRow[] {
  const byModule = new Map<string, { title: string; actions: Set<string> }>()
  for (const p of permissions) {
    if (p.module === ANY) continue
    const row = byModule.get(p.module) ?? { title: p.module_title || p.module, actions: new Set<string>() }
    row.actions.add(p.action)
    byModule.set(p.module, row)
  }
  const everyAction = new Set<string>(BASE_ACTIONS)
  for (const row of byModule.values()) for (const action of row.actions) everyAction.add(action)
  for (const g of grants) {
    if (g.module === ANY) {
      everyAction.add(g.action)
      continue
    }
    const row = byModule.get(g.module) ?? { title: g.module, actions: new Set<string>() }
    row.actions.add(g.action)
    byModule.set(g.module, row)
  }
  const sorted = (actions: Set<string>) => [...new Set([...actions, ANY])].sort(compareActions)
  return [
    { module: ANY, title: 'All modules (*)', actions: sorted(everyAction) },
    ...[...byModule.entries()].map(([module, row]) => ({ module, title: row.title, actions: sorted(row.actions) })),
  ]
}

export interface MatrixState {
  matrix: GrantMatrix
  /** Grants one cell cannot hold next to another (teams and services for the same action): kept as they are. */
  leftover: Grant[]
}

/** Grants to cells. Repeats of a cell merge when they can (same scope kind, or "all"). */
export function matrixFromGrants(grants: readonly Grant[]): MatrixState {
  const matrix: GrantMatrix = {}
  const leftover: Grant[] = []
  for (const g of grants) {
    const row = (matrix[g.module] ??= {})
    const cell: GrantCell = { scope: g.scope, targets: g.scope === 'all' ? [] : tidy(g.targets) }
    const existing = row[g.action]
    if (!existing) row[g.action] = cell
    else if (existing.scope === 'all') continue
    else if (cell.scope === 'all') row[g.action] = cell
    else if (existing.scope === cell.scope) row[g.action] = { scope: cell.scope, targets: tidy([...existing.targets, ...cell.targets]) }
    else leftover.push({ ...g, targets: [...(g.targets ?? [])] })
  }
  return { matrix, leftover }
}

function compareModules(a: string, b: string): number {
  if (a === b) return 0
  if (a === ANY) return -1
  if (b === ANY) return 1
  return a.localeCompare(b)
}

/** The checked cells as grants ("*" module first, then by module and action), then the leftover grants. */
export function grantsFromMatrix(matrix: GrantMatrix, leftover: readonly Grant[] = []): Grant[] {
  const grants: Grant[] = []
  for (const module of Object.keys(matrix).sort(compareModules)) {
    const row = matrix[module]
    for (const action of Object.keys(row).sort(compareActions)) {
      const cell = row[action]
      grants.push({ module, action, scope: cell.scope, targets: cell.scope === 'all' ? [] : tidy(cell.targets) })
    }
  }
  return [...grants, ...leftover]
}

/** A copy of the matrix with one cell set (or unchecked, with null). */
export function setCell(matrix: GrantMatrix, module: string, action: string, cell: GrantCell | null): GrantMatrix {
  const row = { ...(matrix[module] ?? {}) }
  if (cell) row[action] = cell
  else delete row[action]
  const next = { ...matrix }
  if (Object.keys(row).length > 0) next[module] = row
  else delete next[module]
  return next
}

export function actionLabel(action: string): string {
  if (action === ANY) return 'All actions'
  return action.charAt(0).toUpperCase() + action.slice(1)
}

export function moduleTitle(module: string, permissions: readonly Permission[]): string {
  if (module === ANY) return 'All modules'
  return permissions.find((p) => p.module === module)?.module_title || module
}

export function grantLabel(module: string, action: string, permissions: readonly Permission[]): string {
  return `${moduleTitle(module, permissions)} · ${actionLabel(action).toLowerCase()}`
}

/** What keeps the matrix from being saved: a Teams…/Services… cell without targets. */
export function matrixProblems(matrix: GrantMatrix, permissions: readonly Permission[]): string[] {
  const problems: string[] = []
  for (const g of grantsFromMatrix(matrix)) {
    if (g.scope !== 'all' && (g.targets ?? []).length === 0) {
      problems.push(`${grantLabel(g.module, g.action, permissions)}: name at least one of the ${g.scope}`)
    }
  }
  return problems
}

/**
 * Rewrites "grants.3.targets: message" (a 422 about the body that was sent) to name
 * the cell: "Service catalog · write: message". Other messages pass through.
 */
export function describeGrantErrors(messages: readonly string[], sent: readonly Grant[], permissions: readonly Permission[]): string[] {
  return messages.map((line) => {
    const match = /^grants\.(\d+)(?:\.[\w.]+)?: (.*)$/s.exec(line)
    const grant = match ? sent[Number(match[1])] : undefined
    return match && grant ? `${grantLabel(grant.module, grant.action, permissions)}: ${match[2]}` : line
  })
}
