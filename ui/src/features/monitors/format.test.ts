import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import {
  durationText,
  eventColor,
  isMuted,
  monitorFilters,
  monitorQuery,
  mutePresets,
  needsAttention,
  numericThreshold,
  runSummary,
  scheduleText,
  severityColor,
  STATES,
  stateColor,
  stateHex,
  stateLabel,
  timelineColor,
  valueText,
} from './format'
import type { Condition } from './types'

const condition = (changes: Partial<Condition>): Condition => ({ kind: 'threshold', value: 'first_cell', operator: '>', threshold: 0, consecutive: 1, ...changes })

describe('states', () => {
  it('colours each state as the pages promise', () => {
    expect(stateColor('OK')).toBe('green')
    expect(stateColor('ALERTING')).toBe('red')
    expect(stateColor('ERROR')).toBe('volcano')
    expect(stateColor('PENDING')).toBe('gold')
    expect(stateColor('PAUSED')).toBe('default')
  })

  it('labels every state and has a solid colour for each', () => {
    expect(STATES.map(stateLabel)).toEqual(['Alerting', 'Error', 'Pending', 'OK', 'Paused'])
    for (const state of STATES) expect(stateHex(state)).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('needs attention only when alerting or failing', () => {
    expect(STATES.filter(needsAttention)).toEqual(['ALERTING', 'ERROR'])
  })

  it('colours severities and events', () => {
    expect(severityColor('critical')).toBe('red')
    expect(severityColor('info')).toBe('blue')
    expect(eventColor('recovered')).toBe('green')
    expect(eventColor('error')).toBe('volcano')
    // The Timeline has no "volcano": it gets the hex colour instead.
    expect(timelineColor('error')).toBe('#fa541c')
    expect(timelineColor('alerting')).toBe('red')
    expect(timelineColor('muted')).toBe('gray')
  })
})

describe('words and numbers', () => {
  it('says a schedule in words', () => {
    expect(scheduleText({ every_seconds: 30, timezone: 'UTC' })).toBe('every 30 seconds')
    expect(scheduleText({ every_seconds: 60, timezone: 'UTC' })).toBe('every minute')
    expect(scheduleText({ every_seconds: 300, timezone: 'UTC' })).toBe('every 5 minutes')
    expect(scheduleText({ every_seconds: 7200, timezone: 'UTC' })).toBe('every 2 hours')
    expect(scheduleText({ every_seconds: 86400, timezone: 'UTC' })).toBe('every day')
    expect(scheduleText({ cron: '0 9 * * 1-5', timezone: 'Europe/Paris' })).toBe('cron 0 9 * * 1-5 (Europe/Paris)')
  })

  it('formats durations', () => {
    expect(durationText(12.4)).toBe('12 ms')
    expect(durationText(1530)).toBe('1.5 s')
  })

  it('prefers the backend wording of a value, then the number', () => {
    expect(valueText({ value_text: '3 rows', value: 3 })).toBe('3 rows')
    expect(valueText({ value_text: null, value: 0 })).toBe('0')
    expect(valueText({ value_text: null, value: null })).toBeNull()
  })

  it('sums up a run', () => {
    expect(runSummary({ outcome: 'fail', state: 'ALERTING', value: 2, value_text: null, error: null })).toBe(
      'Run finished: fail, value 2 — now Alerting',
    )
    expect(runSummary({ outcome: 'error', state: 'ERROR', value: null, value_text: null, error: 'no such table: x' })).toBe(
      'The check failed: no such table: x',
    )
  })

  it('draws only numeric thresholds of threshold conditions', () => {
    expect(numericThreshold(condition({ threshold: 5 }))).toBe(5)
    expect(numericThreshold(condition({ operator: '==', threshold: 'ok' }))).toBeNull()
    expect(numericThreshold(condition({ kind: 'any_rows', threshold: 0 }))).toBeNull()
  })
})

describe('mute', () => {
  const now = dayjs('2024-05-06T22:30:00')

  it('offers fixed lengths and the next morning', () => {
    const presets = Object.fromEntries(mutePresets(now).map((p) => [p.key, p.until.format('YYYY-MM-DD HH:mm')]))
    expect(presets).toEqual({ '1h': '2024-05-06 23:30', '4h': '2024-05-07 02:30', '1d': '2024-05-07 22:30', tomorrow: '2024-05-07 09:00' })
  })

  it('is muted only until the time has passed', () => {
    expect(isMuted({ muted_until: now.add(1, 'minute').toISOString() }, now)).toBe(true)
    expect(isMuted({ muted_until: now.subtract(1, 'minute').toISOString() }, now)).toBe(false)
    expect(isMuted({ muted_until: null }, now)).toBe(false)
  })
})

describe('filters', () => {
  it('reads the address and sends only known values', () => {
    const filters = monitorFilters(new URLSearchParams('service=shop&state=ALERTING&severity=loud&q=%20unpaid%20&page=2'))
    expect(filters).toEqual({ service: 'shop', state: 'ALERTING', severity: 'loud', q: 'unpaid' })
    expect(monitorQuery(filters, 25, 25)).toEqual({ limit: 25, offset: 25, service: 'shop', state: 'ALERTING', q: 'unpaid' })
  })
})
