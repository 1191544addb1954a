/**
 * The editor's form values and their conversion to API bodies: a whole definition
 * (create and preview) or a PATCH with only what changed.
 */
import { changedFields, mapToPairs, pairsToMap, type KeyValue } from '../../catalog/connections/convert'
import { sourceFor } from './conditionText'
import type {
  Condition,
  HttpMethod,
  HttpRequest,
  Monitor,
  MonitorDefinition,
  MonitorType,
  MonitorUpdate,
  Operator,
  Schedule,
  Severity,
  ValueSource,
} from './model'
import { intervalSeconds, splitSeconds, type IntervalUnit } from './scheduleText'

/**
 * A write-only header. `stored` rows came from the saved monitor: their value is
 * never shown, blank keeps it, text replaces it and `remove` deletes it on save.
 */
export interface SecretHeaderRow {
  name: string
  value: string
  stored: boolean
  remove: boolean
}

export interface ScheduleValues {
  mode: 'interval' | 'cron'
  every: number | null
  unit: IntervalUnit
  cron: string
  timezone: string
}

export interface ConditionValues {
  kind: Condition['kind']
  value: ValueSource
  column: string
  json_path: string
  operator: Operator
  /** Text as typed: a number, or text for == and != */
  threshold: string
  consecutive: number | null
}

export interface MonitorFormValues {
  service: string | undefined
  name: string
  description: string
  severity: Severity
  enabled: boolean
  runbook_url: string
  type: MonitorType
  datasource: string | undefined
  query: string
  http: {
    method: HttpMethod
    path: string
    headers: KeyValue[]
    secret_headers: SecretHeaderRow[]
    body: string
  }
  schedule: ScheduleValues
  timeout_seconds: number | null
  condition: ConditionValues
  notify: {
    channels: string[]
    emails: string[]
    on_error: boolean
    renotify_minutes: number | null
  }
}

export function newMonitorValues(service?: string | null): MonitorFormValues {
  return {
    service: service || undefined,
    name: '',
    description: '',
    severity: 'warning',
    enabled: true,
    runbook_url: '',
    type: 'sql',
    datasource: undefined,
    query: '',
    http: { method: 'GET', path: '/', headers: [], secret_headers: [], body: '' },
    schedule: { mode: 'interval', every: 5, unit: 'minutes', cron: '', timezone: 'UTC' },
    timeout_seconds: 30,
    condition: { kind: 'threshold', value: 'first_cell', column: '', json_path: '', operator: '>', threshold: '0', consecutive: 1 },
    notify: { channels: [], emails: [], on_error: true, renotify_minutes: null },
  }
}

function scheduleValues(schedule: Schedule): ScheduleValues {
  if (schedule.cron) {
    return { mode: 'cron', every: 5, unit: 'minutes', cron: schedule.cron, timezone: schedule.timezone || 'UTC' }
  }
  return { mode: 'interval', ...splitSeconds(schedule.every_seconds ?? 300), cron: '', timezone: schedule.timezone || 'UTC' }
}

export function monitorToValues(monitor: Monitor): MonitorFormValues {
  const blank = newMonitorValues(monitor.service)
  const { condition, http, notify } = monitor
  return {
    ...blank,
    name: monitor.name,
    description: monitor.description,
    severity: monitor.severity,
    enabled: monitor.enabled,
    runbook_url: monitor.runbook_url ?? '',
    type: monitor.type,
    datasource: monitor.datasource ?? undefined,
    query: monitor.query ?? '',
    http: http
      ? {
          method: http.method as HttpMethod,
          path: http.path,
          headers: mapToPairs(http.headers),
          secret_headers: http.secret_headers.map((name) => ({ name, value: '', stored: true, remove: false })),
          body: http.body ?? '',
        }
      : blank.http,
    schedule: scheduleValues(monitor.schedule),
    timeout_seconds: monitor.timeout_seconds,
    condition: {
      kind: condition.kind,
      value: condition.value,
      column: condition.column ?? '',
      json_path: condition.json_path ?? '',
      operator: condition.operator,
      threshold: condition.threshold === null || condition.threshold === undefined ? '' : String(condition.threshold),
      consecutive: condition.consecutive,
    },
    notify: {
      channels: [...notify.channels],
      emails: [...notify.emails],
      on_error: notify.on_error,
      renotify_minutes: notify.renotify_minutes ?? null,
    },
  }
}

/** The schedule the values describe, or null while it is incomplete. */
export function scheduleOf(values: ScheduleValues | undefined): Schedule | null {
  if (!values) return null
  if (values.mode === 'cron') {
    const cron = (values.cron ?? '').trim()
    return cron ? { cron, timezone: values.timezone || 'UTC' } : null
  }
  const seconds = intervalSeconds(values.every, values.unit)
  return seconds === null ? null : { every_seconds: seconds, timezone: 'UTC' }
}

/**
 * A number when the text is one, else the text: the API accepts text for == and !=
 * and names the problem on the threshold field for the other operators.
 */
export function thresholdOf(text: string): number | string | null {
  const trimmed = (text ?? '').trim()
  if (trimmed === '') return null
  const number = Number(trimmed)
  return Number.isFinite(number) ? number : trimmed
}

export function conditionOf(values: ConditionValues, type: MonitorType): Condition {
  const kind = type === 'http' ? 'threshold' : values.kind
  const value = sourceFor(type, values.value)
  return {
    kind,
    value,
    column: value === 'column' ? (values.column ?? '').trim() || null : null,
    json_path: value === 'json_path' ? (values.json_path ?? '').trim() || null : null,
    operator: values.operator,
    threshold: kind === 'any_rows' ? null : thresholdOf(values.threshold),
    consecutive: values.consecutive ?? 1,
  }
}

/** Secret headers to send: new values, and (on a PATCH) "" for stored ones to remove. */
function secretHeadersOf(rows: readonly SecretHeaderRow[], forPatch: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const row of rows) {
    const name = (row.name ?? '').trim()
    if (!name) continue
    if (row.stored && row.remove) {
      if (forPatch) out[name] = ''
    } else if (row.value) {
      out[name] = row.value
    }
  }
  return out
}

function httpOf(values: MonitorFormValues['http'], forPatch: boolean): HttpRequest {
  const body = values.body ?? ''
  return {
    method: values.method,
    path: (values.path ?? '').trim(),
    headers: pairsToMap(values.headers),
    secret_headers: secretHeadersOf(values.secret_headers ?? [], forPatch),
    body: values.method === 'GET' || values.method === 'HEAD' || body === '' ? null : body,
  }
}

/** The fields a PATCH may change (service and type are fixed once created). */
function editable(values: MonitorFormValues, forPatch: boolean) {
  const sql = values.type === 'sql'
  return {
    name: (values.name ?? '').trim(),
    description: values.description ?? '',
    datasource: sql ? (values.datasource ?? null) : null,
    query: sql ? values.query ?? '' : null,
    http: sql ? null : httpOf(values.http, forPatch),
    schedule: scheduleOf(values.schedule) ?? { every_seconds: 0, timezone: 'UTC' },
    timeout_seconds: values.timeout_seconds ?? 30,
    enabled: Boolean(values.enabled),
    severity: values.severity,
    runbook_url: (values.runbook_url ?? '').trim() || null,
    condition: conditionOf(values.condition, values.type),
    notify: {
      channels: [...(values.notify.channels ?? [])],
      emails: (values.notify.emails ?? []).map((email) => email.trim()).filter(Boolean),
      on_error: Boolean(values.notify.on_error),
      renotify_minutes: values.notify.renotify_minutes ?? null,
    },
  }
}

/** A whole definition: the create body, and what Preview runs. */
export function toDefinition(values: MonitorFormValues): MonitorDefinition {
  return { service: values.service ?? '', type: values.type, ...editable(values, false) }
}

/** Only the changed fields; secret headers count as changed when one is typed or removed. */
export function toUpdate(values: MonitorFormValues, initial: MonitorFormValues): MonitorUpdate {
  const next = editable(values, true)
  const patch: MonitorUpdate = changedFields(next, editable(initial, true))
  if (next.http && Object.keys(next.http.secret_headers).length > 0) patch.http = next.http
  return patch
}

/**
 * The definition for Preview. Stored secret headers the user left alone are filled in
 * by the API from the saved monitor; removed ones are sent empty so it leaves them out.
 */
export function toPreview(values: MonitorFormValues): MonitorDefinition {
  return { service: values.service ?? '', type: values.type, ...editable(values, true) }
}
