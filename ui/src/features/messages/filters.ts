/**
 * The message browser's filters: read from and written to the address (so a search is a
 * link to share), turned into the search API's query, the export link and the tail's.
 */
import type { FieldFilter, FilterOp, MessageQuery, MessageSummary } from './types'

export type Match = 'exact' | 'prefix'

export interface BrowserFilters {
  service: string
  subscription: number | null
  /** ISO 8601, or '' for no bound. */
  since: string
  until: string
  partition: number | null
  offsetMin: number | null
  offsetMax: number | null
  key: string
  header: string
  headerValue: string
  /** An indexed field and the value to find in it. */
  field: string
  value: string
  match: Match
  where: FieldFilter[]
}

export const EMPTY_FILTERS: BrowserFilters = {
  service: '',
  subscription: null,
  since: '',
  until: '',
  partition: null,
  offsetMin: null,
  offsetMax: null,
  key: '',
  header: '',
  headerValue: '',
  field: '',
  value: '',
  match: 'exact',
  where: [],
}

/** The address parameters the filters own; any other (the opened message) is left alone. */
export const FILTER_PARAMS = [
  'service',
  'subscription',
  'since',
  'until',
  'partition',
  'offset_min',
  'offset_max',
  'key',
  'header',
  'header_value',
  'field',
  'value',
  'match',
  'where',
] as const

export const OPERATORS: { value: FilterOp; label: string }[] = [
  { value: 'eq', label: '=' },
  { value: 'ne', label: '≠' },
  { value: 'contains', label: 'contains' },
  { value: 'prefix', label: 'starts with' },
  { value: 'gt', label: '>' },
  { value: 'gte', label: '≥' },
  { value: 'lt', label: '<' },
  { value: 'lte', label: '≤' },
  { value: 'exists', label: 'is set' },
  { value: 'missing', label: 'is not set' },
]

const OP_VALUES = new Set<string>(OPERATORS.map((op) => op.value))

/** The operators that compare with nothing. */
export function takesValue(op: FilterOp): boolean {
  return op !== 'exists' && op !== 'missing'
}

function count(text: string | null): number | null {
  if (text === null || !/^\d{1,19}$/.test(text)) return null
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : null
}

function instant(text: string | null): string {
  if (!text) return ''
  return Number.isNaN(Date.parse(text)) ? '' : text
}

function parseWhere(text: string | null): FieldFilter[] {
  if (!text) return []
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return []
  }
  if (!Array.isArray(raw)) return []
  const found: FieldFilter[] = []
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) continue
    const { field, op, value } = item as Record<string, unknown>
    if (typeof field !== 'string' || !field) continue
    const operator = (typeof op === 'string' && OP_VALUES.has(op) ? op : 'eq') as FilterOp
    found.push(takesValue(operator) ? { field, op: operator, value: typeof value === 'string' ? value : value == null ? '' : String(value) } : { field, op: operator })
  }
  return found
}

/** The filters in the address; anything malformed reads as unset. */
export function filtersFromParams(params: URLSearchParams): BrowserFilters {
  const text = (name: string) => (params.get(name) ?? '').trim()
  return {
    service: text('service'),
    subscription: count(params.get('subscription')) || null,
    since: instant(params.get('since')),
    until: instant(params.get('until')),
    partition: count(params.get('partition')),
    offsetMin: count(params.get('offset_min')),
    offsetMax: count(params.get('offset_max')),
    key: params.get('key') ?? '',
    header: text('header'),
    headerValue: params.get('header_value') ?? '',
    field: text('field'),
    value: params.get('value') ?? '',
    match: params.get('match') === 'prefix' ? 'prefix' : 'exact',
    where: parseWhere(params.get('where')),
  }
}

/** The filter rows complete enough to send: a field, and a value when the operator needs one. */
export function usableWhere(where: readonly FieldFilter[]): FieldFilter[] {
  return where
    .map((item) => ({ ...item, field: item.field.trim() }))
    .filter((item) => item.field !== '' && (!takesValue(item.op) || (item.value ?? '') !== ''))
    .map((item) => (takesValue(item.op) ? { field: item.field, op: item.op, value: item.value ?? '' } : { field: item.field, op: item.op }))
}

/** The parameters of the filters that are set, as the search API and the address name them. */
function entries(filters: BrowserFilters): [string, string][] {
  const out: [string, string][] = []
  const add = (name: string, value: string | number | null) => {
    if (value !== null && value !== '') out.push([name, String(value)])
  }
  add('service', filters.service)
  add('subscription', filters.subscription)
  add('since', filters.since)
  add('until', filters.until)
  add('partition', filters.partition)
  add('offset_min', filters.offsetMin)
  add('offset_max', filters.offsetMax)
  add('key', filters.key)
  if (filters.header) {
    add('header', filters.header)
    add('header_value', filters.headerValue)
  }
  if (filters.field && filters.value !== '') {
    add('field', filters.field)
    add('value', filters.value)
    if (filters.match === 'prefix') add('match', 'prefix')
  }
  const where = usableWhere(filters.where)
  if (where.length) add('where', JSON.stringify(where))
  return out
}

/** `base` with the filters written in (unset ones removed); other parameters kept. */
export function filtersToParams(filters: BrowserFilters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(base)
  for (const name of FILTER_PARAMS) next.delete(name)
  for (const [name, value] of entries(filters)) next.set(name, value)
  return next
}

/** Whether any filter narrows the search (beyond the service or subscription browsed). */
export function isFiltered(filters: BrowserFilters): boolean {
  return entries(filters).some(([name]) => name !== 'service' && name !== 'subscription')
}

/** The search API's query for the filters. */
export function searchQuery(filters: BrowserFilters, limit: number): MessageQuery {
  const query: Record<string, string | number> = { limit }
  for (const [name, value] of entries(filters)) {
    query[name] = ['subscription', 'partition', 'offset_min', 'offset_max'].includes(name) ? Number(value) : value
  }
  return query as MessageQuery
}

export type ExportFormat = 'jsonl' | 'csv'

/** The download link of the filters' messages. */
export function exportHref(filters: BrowserFilters, format: ExportFormat): string {
  const search = new URLSearchParams([['format', format], ...entries(filters)])
  return `/api/v1/messages/export?${search.toString()}`
}

/** The live tail filters on decoded fields only: the indexed-field search becomes one of them. */
export function tailWhere(filters: BrowserFilters): FieldFilter[] {
  const where = usableWhere(filters.where)
  if (filters.field && filters.value !== '') {
    where.push({ field: filters.field, op: filters.match === 'prefix' ? 'prefix' : 'eq', value: filters.value })
  }
  return where
}

export function tailUrl(subscriptionId: number, filters: BrowserFilters): string {
  const search = new URLSearchParams([['subscription', String(subscriptionId)]])
  const where = tailWhere(filters)
  if (where.length) search.set('where', JSON.stringify(where))
  return `/api/v1/messages/tail?${search.toString()}`
}

/** What the tail checks here, on each message it brings: the key, partition and offsets. */
export function tailKeeps(filters: BrowserFilters): (message: MessageSummary) => boolean {
  return (message) =>
    (filters.key === '' || message.key === filters.key) &&
    (filters.partition === null || message.partition === filters.partition) &&
    (filters.offsetMin === null || message.offset >= filters.offsetMin) &&
    (filters.offsetMax === null || message.offset <= filters.offsetMax)
}

/** The filters a live tail cannot apply, to say so next to it. */
export function tailIgnores(filters: BrowserFilters): string[] {
  const ignored: string[] = []
  if (filters.since || filters.until) ignored.push('the time range')
  if (filters.header) ignored.push('the header')
  return ignored
}
