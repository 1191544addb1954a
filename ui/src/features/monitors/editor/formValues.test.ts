import { describe, expect, it } from 'vitest'
import { monitorToValues, newMonitorValues, scheduleOf, thresholdOf, toDefinition, toPreview, toUpdate, type MonitorFormValues } from './formValues'
import type { Monitor } from './model'

function sqlValues(): MonitorFormValues {
  const values = newMonitorValues('shop')
  return {
    ...values,
    name: ' unpaid-orders ',
    datasource: 'main',
    query: "SELECT count(*) FROM orders WHERE status = 'unpaid'",
    schedule: { ...values.schedule, every: 60, unit: 'seconds' },
  }
}

const saved: Monitor = {
  id: 7,
  service: 'shop',
  name: 'health',
  description: '',
  type: 'http',
  datasource: null,
  datasource_id: null,
  query: null,
  http: { method: 'GET', path: '/health', headers: { Accept: 'application/json' }, secret_headers: ['Authorization'], body: null },
  schedule: { every_seconds: 300, cron: null, timezone: 'UTC' },
  timeout_seconds: 10,
  enabled: true,
  severity: 'critical',
  runbook_url: null,
  condition: { kind: 'threshold', value: 'status_code', column: null, json_path: null, operator: '!=', threshold: 200, consecutive: 2 },
  condition_text: 'status code != 200, 2 times in a row',
  notify: { channels: ['ops'], emails: [], on_error: true, renotify_minutes: null },
  state: 'OK',
  state_since: '2026-01-01T00:00:00Z',
  failing_streak: 0,
  last_run_at: null,
  last_value: null,
  last_value_text: null,
  last_error: null,
  next_run_at: null,
  muted_until: null,
  acknowledged_at: null,
  acknowledged_by: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
}

describe('toDefinition', () => {
  it('builds an SQL definition with the interval in seconds and a numeric threshold', () => {
    expect(toDefinition(sqlValues())).toEqual({
      service: 'shop',
      type: 'sql',
      name: 'unpaid-orders',
      description: '',
      datasource: 'main',
      query: "SELECT count(*) FROM orders WHERE status = 'unpaid'",
      http: null,
      schedule: { every_seconds: 60, timezone: 'UTC' },
      timeout_seconds: 30,
      enabled: true,
      severity: 'warning',
      runbook_url: null,
      condition: { kind: 'threshold', value: 'first_cell', column: null, json_path: null, operator: '>', threshold: 0, consecutive: 1 },
      notify: { channels: [], emails: [], on_error: true, renotify_minutes: null },
    })
  })

  it('builds an HTTP definition: headers as a map, new secret headers, no body on GET', () => {
    const base = newMonitorValues('shop')
    const values: MonitorFormValues = {
      ...base,
      type: 'http',
      http: {
        method: 'GET',
        path: ' /api/stats ',
        headers: [{ key: 'Accept', value: 'application/json' }, { key: ' ', value: 'dropped' }],
        secret_headers: [{ name: 'X-Token', value: 's3cret', stored: false, remove: false }],
        body: 'ignored on GET',
      },
      schedule: { mode: 'cron', every: 5, unit: 'minutes', cron: ' 0 8 * * 1-5 ', timezone: 'Europe/Berlin' },
      condition: { ...base.condition, value: 'json_path', json_path: '$.queue.depth', operator: '>=', threshold: '100' },
    }
    const definition = toDefinition(values)
    expect(definition.http).toEqual({ method: 'GET', path: '/api/stats', headers: { Accept: 'application/json' }, secret_headers: { 'X-Token': 's3cret' }, body: null })
    expect(definition.schedule).toEqual({ cron: '0 8 * * 1-5', timezone: 'Europe/Berlin' })
    expect(definition.condition).toMatchObject({ value: 'json_path', json_path: '$.queue.depth', operator: '>=', threshold: 100 })
    expect(definition.datasource).toBeNull()
    expect(definition.query).toBeNull()
  })

  it('switches an SQL value source to an HTTP one and drops any_rows for HTTP', () => {
    const values = { ...sqlValues(), type: 'http' as const }
    values.condition = { ...values.condition, kind: 'any_rows', value: 'row_count' }
    expect(toDefinition(values).condition).toMatchObject({ kind: 'threshold', value: 'json_path' })
  })

  it('sends no threshold for any_rows', () => {
    const values = sqlValues()
    values.condition = { ...values.condition, kind: 'any_rows' }
    expect(toDefinition(values).condition).toMatchObject({ kind: 'any_rows', threshold: null })
  })
})

describe('thresholdOf', () => {
  it('keeps numbers as numbers and other text as text', () => {
    expect(thresholdOf('0')).toBe(0)
    expect(thresholdOf(' 2.5 ')).toBe(2.5)
    expect(thresholdOf('paid')).toBe('paid')
    expect(thresholdOf('  ')).toBeNull()
  })
})

describe('scheduleOf', () => {
  it('is null while the schedule is incomplete', () => {
    const schedule = newMonitorValues().schedule
    expect(scheduleOf({ ...schedule, every: null })).toBeNull()
    expect(scheduleOf({ ...schedule, mode: 'cron', cron: '  ' })).toBeNull()
    expect(scheduleOf({ ...schedule, every: 2, unit: 'hours' })).toEqual({ every_seconds: 7200, timezone: 'UTC' })
  })
})

describe('monitorToValues and toUpdate', () => {
  it('loads a saved monitor in friendly units with stored secret headers', () => {
    const values = monitorToValues(saved)
    expect(values.schedule).toMatchObject({ mode: 'interval', every: 5, unit: 'minutes' })
    expect(values.http.headers).toEqual([{ key: 'Accept', value: 'application/json' }])
    expect(values.http.secret_headers).toEqual([{ name: 'Authorization', value: '', stored: true, remove: false }])
    expect(values.condition.threshold).toBe('200')
  })

  it('sends nothing when nothing changed', () => {
    const initial = monitorToValues(saved)
    expect(toUpdate(initial, initial)).toEqual({})
  })

  it('sends only the changed fields', () => {
    const initial = monitorToValues(saved)
    const changed = { ...initial, severity: 'info' as const, notify: { ...initial.notify, renotify_minutes: 30 } }
    expect(toUpdate(changed, initial)).toEqual({ severity: 'info', notify: { channels: ['ops'], emails: [], on_error: true, renotify_minutes: 30 } })
  })

  it('sends the request with "" for a stored secret header to remove, keeping the others', () => {
    const initial = monitorToValues(saved)
    const removed = { ...initial, http: { ...initial.http, secret_headers: [{ name: 'Authorization', value: '', stored: true, remove: true }] } }
    expect(toUpdate(removed, initial).http?.secret_headers).toEqual({ Authorization: '' })
    const replaced = { ...initial, http: { ...initial.http, secret_headers: [{ name: 'Authorization', value: 'Bearer new', stored: true, remove: false }] } }
    expect(toUpdate(replaced, initial).http?.secret_headers).toEqual({ Authorization: 'Bearer new' })
  })

  it('previews with stored secret headers left to the API, removed ones sent empty', () => {
    const initial = monitorToValues(saved)
    const removed = { ...initial, http: { ...initial.http, secret_headers: [{ name: 'Authorization', value: '', stored: true, remove: true }] } }
    expect(toPreview(initial).http?.secret_headers).toEqual({})
    expect(toPreview(removed).http?.secret_headers).toEqual({ Authorization: '' })
  })
})
