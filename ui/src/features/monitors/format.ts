/** Pure helpers of the monitor pages: colours and labels, schedules, values, mute times, filters. */
import dayjs, { type Dayjs } from 'dayjs'
import type { EventKind, Monitor, MonitorQuery, MonitorState, Notification, Outcome, RunResult, Schedule, Severity } from './types'

export const NEEDS_MONITORS_WRITE = 'You need the monitors write permission for this service'

export const STATES: readonly MonitorState[] = ['ALERTING', 'ERROR', 'PENDING', 'OK', 'PAUSED']
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info']

/** Ant Design tag colours: red means dirty data, volcano a check that cannot run. */
const STATE_COLOR: Record<MonitorState, string> = {
  OK: 'green',
  ALERTING: 'red',
  ERROR: 'volcano',
  PENDING: 'gold',
  PAUSED: 'default',
}

const STATE_LABEL: Record<MonitorState, string> = {
  OK: 'OK',
  ALERTING: 'Alerting',
  ERROR: 'Error',
  PENDING: 'Pending',
  PAUSED: 'Paused',
}

/** What each state means, for tooltips. */
const STATE_HINT: Record<MonitorState, string> = {
  OK: 'The last check found no dirty data.',
  ALERTING: 'The last check found dirty data: the condition holds.',
  ERROR: 'The check itself fails (query error, timeout, unreachable endpoint...).',
  PENDING: 'No run yet, or failing fewer times in a row than the condition asks for.',
  PAUSED: 'Disabled: the monitor does not run.',
}

/** Solid colours of the states, for chart bands and lines (Ant Design's palette). */
const STATE_HEX: Record<MonitorState, string> = {
  OK: '#52c41a',
  ALERTING: '#f5222d',
  ERROR: '#fa541c',
  PENDING: '#faad14',
  PAUSED: '#8c8c8c',
}

export const stateColor = (state: MonitorState): string => STATE_COLOR[state] ?? 'default'
export const stateLabel = (state: MonitorState): string => STATE_LABEL[state] ?? state
export const stateHint = (state: MonitorState): string => STATE_HINT[state] ?? ''
export const stateHex = (state: MonitorState): string => STATE_HEX[state] ?? '#8c8c8c'

/** Whether the state needs someone's attention (and so can be acknowledged). */
export const needsAttention = (state: MonitorState): boolean => state === 'ALERTING' || state === 'ERROR'

export function severityColor(severity: Severity): string {
  return ({ critical: 'red', warning: 'orange', info: 'blue' } as Record<string, string>)[severity] ?? 'default'
}

export function outcomeColor(outcome: Outcome): string {
  return ({ pass: 'green', fail: 'red', error: 'volcano' } as Record<string, string>)[outcome] ?? 'default'
}

/** Event tag colours: problems red/volcano, the way back green, people's actions blue, the rest neutral. */
export function eventColor(kind: EventKind): string {
  const colors: Record<EventKind, string> = {
    alerting: 'red',
    reminder: 'red',
    error: 'volcano',
    recovered: 'green',
    acknowledged: 'blue',
    unmuted: 'blue',
    resumed: 'blue',
    pending: 'gold',
    muted: 'default',
    paused: 'default',
  }
  return colors[kind] ?? 'default'
}

/** The Timeline dot of an event: the Timeline knows fewer colour names than Tag, so the rest are hex. */
export function timelineColor(kind: EventKind): string {
  const dots: Record<string, string> = { red: 'red', green: 'green', blue: 'blue', volcano: '#fa541c', gold: '#faad14' }
  return dots[eventColor(kind)] ?? 'gray'
}

export function notificationColor(status: Notification['status']): string {
  return ({ sent: 'green', pending: 'gold', failed: 'red' } as Record<string, string>)[status] ?? 'default'
}

function plural(count: number, unit: string): string {
  return count === 1 ? `every ${unit}` : `every ${count} ${unit}s`
}

/** A schedule in words: "every 5 minutes", "cron 0 9 * * 1-5 (Europe/Paris)". */
export function scheduleText(schedule: Schedule): string {
  const seconds = schedule.every_seconds
  if (seconds != null) {
    if (seconds % 86400 === 0) return plural(seconds / 86400, 'day')
    if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour')
    if (seconds % 60 === 0) return plural(seconds / 60, 'minute')
    return plural(seconds, 'second')
  }
  return `cron ${schedule.cron ?? '?'} (${schedule.timezone ?? 'UTC'})`
}

/** A run's duration: whole milliseconds below a second, else seconds with one decimal. */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(1)} s`
}

/** The value a run or monitor reported, as the backend words it, or its number. */
export function valueText(item: { value_text?: string | null; value?: number | null }): string | null {
  if (item.value_text != null && item.value_text !== '') return item.value_text
  if (item.value != null) return String(item.value)
  return null
}

/** A run's result in one line, for the message after Run now. */
export function runSummary(result: Pick<RunResult, 'outcome' | 'error' | 'state' | 'value' | 'value_text'>): string {
  if (result.outcome === 'error') return `The check failed: ${result.error ?? 'unknown error'}`
  const value = valueText(result)
  return `Run finished: ${result.outcome}${value != null ? `, value ${value}` : ''} — now ${stateLabel(result.state)}`
}

/** The threshold to draw on the chart: only a numeric threshold of a threshold condition. */
export function numericThreshold(condition: Monitor['condition']): number | null {
  return condition.kind === 'threshold' && typeof condition.threshold === 'number' ? condition.threshold : null
}

export function isMuted(monitor: Pick<Monitor, 'muted_until'>, now: Dayjs = dayjs()): boolean {
  return monitor.muted_until != null && dayjs(monitor.muted_until).isAfter(now)
}

export interface MutePreset {
  key: string
  label: string
  until: Dayjs
}

/** The mute choices offered everywhere: fixed lengths, and the next morning at 09:00 local time. */
export function mutePresets(now: Dayjs = dayjs()): MutePreset[] {
  return [
    { key: '1h', label: 'For 1 hour', until: now.add(1, 'hour') },
    { key: '4h', label: 'For 4 hours', until: now.add(4, 'hour') },
    { key: '1d', label: 'For 1 day', until: now.add(1, 'day') },
    {
      key: 'tomorrow',
      label: 'Until tomorrow 09:00',
      until: now.add(1, 'day').hour(9).minute(0).second(0).millisecond(0),
    },
  ]
}

export const FILTER_KEYS = ['service', 'state', 'severity', 'q'] as const
export type MonitorFilterKey = (typeof FILTER_KEYS)[number]
export type MonitorFilters = Record<MonitorFilterKey, string>

export function monitorFilters(params: URLSearchParams): MonitorFilters {
  const out = { service: '', state: '', severity: '', q: '' }
  for (const key of FILTER_KEYS) out[key] = (params.get(key) ?? '').trim()
  return out
}

/** The query of GET /monitors: only the filters that are set (unknown states or severities dropped). */
export function monitorQuery(filters: MonitorFilters, limit: number, offset: number): MonitorQuery {
  const query: MonitorQuery = { limit, offset }
  if (filters.service) query.service = filters.service
  if (filters.q) query.q = filters.q
  if ((STATES as readonly string[]).includes(filters.state)) query.state = filters.state as MonitorState
  if ((SEVERITIES as readonly string[]).includes(filters.severity)) query.severity = filters.severity as Severity
  return query
}
