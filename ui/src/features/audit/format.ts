/** Pure helpers of the audit pages: filters in the address, tags, compact JSON, snapshot lines. */
import type { AuditChange, AuditDetail, AuditQuery } from '../../api/types'

export const FILTER_KEYS = ['actor', 'action', 'object_type', 'object_id', 'service'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]

export interface AuditFilters {
  actor: string
  action: string
  object_type: string
  object_id: string
  service: string
  /** ISO date-times, or '' for no bound. */
  since: string
  until: string
}

export const EMPTY_FILTERS: AuditFilters = { actor: '', action: '', object_type: '', object_id: '', service: '', since: '', until: '' }

export function filtersFromParams(params: URLSearchParams): AuditFilters {
  const out = { ...EMPTY_FILTERS }
  for (const key of Object.keys(out) as (keyof AuditFilters)[]) out[key] = (params.get(key) ?? '').trim()
  return out
}

export function sameFilters(a: AuditFilters, b: AuditFilters): boolean {
  return (Object.keys(EMPTY_FILTERS) as (keyof AuditFilters)[]).every((key) => a[key] === b[key])
}

export function isFiltered(filters: AuditFilters): boolean {
  return !sameFilters(filters, EMPTY_FILTERS)
}

/** The query of GET /audit: only the filters that are set. */
export function auditQuery(filters: AuditFilters, limit: number, offset: number): AuditQuery {
  const query: AuditQuery = { limit, offset }
  for (const [key, value] of Object.entries(filters) as [keyof AuditFilters, string][]) {
    if (value) query[key] = value
  }
  return query
}

export function historyPath(objectType: string, objectId: string): string {
  return `/audit/history?${new URLSearchParams({ object_type: objectType, object_id: objectId }).toString()}`
}

/** The verb of an action: `service.update` → `update`. */
export function actionVerb(action: string): string {
  const dot = action.lastIndexOf('.')
  return dot < 0 ? action : action.slice(dot + 1)
}

export function actionColor(action: string): string {
  const verb = actionVerb(action)
  if (verb.includes('fail') || verb === 'denied') return 'volcano'
  if (verb === 'create' || verb === 'add') return 'green'
  if (verb === 'delete' || verb === 'revoke' || verb === 'remove') return 'red'
  if (verb === 'update') return 'blue'
  if (verb === 'login' || verb === 'logout') return 'cyan'
  return 'default'
}

export function actorKindColor(kind: string): string {
  return ({ user: 'blue', token: 'purple', system: 'gold', anonymous: 'default' } as Record<string, string>)[kind] ?? 'default'
}

export function changeColor(change: AuditChange['change']): string {
  return change === 'added' ? 'green' : change === 'removed' ? 'red' : 'gold'
}

/** A JSON value on one line, cut to `max` characters; undefined (no value) is ''. */
export function compactJson(value: unknown, max = 160): string {
  if (value === undefined) return ''
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Where the object's state at a record is: after the change, or before it for a delete. */
export function stateAt(record: Pick<AuditDetail, 'before' | 'after'>): { side: 'after' | 'before'; snapshot: Record<string, unknown> } | null {
  if (record.after) return { side: 'after', snapshot: record.after }
  if (record.before) return { side: 'before', snapshot: record.before }
  return null
}

export type Side = 'before' | 'after'
/** How a snapshot line is marked: changed itself (by kind), holding a change deeper down, or not. */
export type Mark = AuditChange['change'] | 'inside' | null

export function joinPath(base: string, key: string | number): string {
  return base === '' ? String(key) : `${base}.${key}`
}

/**
 * The mark of the line at `path` in the `side` snapshot: the change of the path itself
 * or of its nearest changed parent (a removed value shows only before, an added one only
 * after), else `inside` when a change lies below it.
 */
export function markOf(path: string, changes: readonly AuditChange[], side: Side): Mark {
  if (path === '') return null
  let best: AuditChange | null = null
  let inside = false
  for (const change of changes) {
    if (change.path === path || path.startsWith(`${change.path}.`)) {
      if (!best || change.path.length > best.path.length) best = change
    } else if (change.path.startsWith(`${path}.`)) {
      inside = true
    }
  }
  if (best) {
    if (best.change === 'removed' && side === 'after') return null
    if (best.change === 'added' && side === 'before') return null
    return best.change
  }
  return inside ? 'inside' : null
}

export interface JsonLine {
  depth: number
  /** Dotted path of the value this line shows ('' for the root). */
  path: string
  /** Its key in the parent object, if any. */
  key?: string
  /** The value, an opening bracket, or a closing one. */
  text: string
  closing: boolean
  comma: boolean
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null
}

/** A JSON value pretty-printed as lines, each knowing the path it shows. */
export function jsonLines(value: unknown, path = '', depth = 0, key?: string, comma = false): JsonLine[] {
  if (isContainer(value)) {
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value)
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
    if (entries.length === 0) return [{ depth, path, key, text: `${open}${close}`, closing: false, comma }]
    const lines: JsonLine[] = [{ depth, path, key, text: open, closing: false, comma: false }]
    entries.forEach(([k, v], i) => {
      lines.push(...jsonLines(v, joinPath(path, k), depth + 1, Array.isArray(value) ? undefined : String(k), i < entries.length - 1))
    })
    lines.push({ depth, path, text: close, closing: true, comma })
    return lines
  }
  return [{ depth, path, key, text: value === undefined ? 'null' : JSON.stringify(value), closing: false, comma }]
}
