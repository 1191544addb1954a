import type { Breakpoint } from 'antd'
import type { Change, Outcome, RunSummary, RunView, SpanKind, SpanStatus } from './types'

export const NEEDS_DEBUG_RUN = 'You need the Online debugging run permission on this service'

/** Columns a phone leaves out, so the name and the last run fit. */
export const NOT_NARROW: Breakpoint[] = ['sm']

export { MONO } from '../../components/preStyle'

/** "0.42 ms", "12.3 ms", "845 ms", "1.24 s", "2 min 5 s": a duration for people. */
export function formatMs(ms: number): string {
  const size = Math.abs(ms)
  if (size < 1) return `${ms.toFixed(2)} ms`
  if (size < 100) return `${Number(ms.toFixed(1))} ms`
  if (size < 1000) return `${Math.round(ms)} ms`
  if (size < 60_000) return `${Number((ms / 1000).toFixed(size < 10_000 ? 2 : 1))} s`
  const minutes = Math.floor(size / 60_000)
  const seconds = Math.round((size % 60_000) / 1000)
  return `${ms < 0 ? '-' : ''}${minutes} min${seconds ? ` ${seconds} s` : ''}`
}

/** "+12.3 ms", "-4 ms", "±0 ms": how much longer the other run took. */
export function formatDelta(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms === 0) return '±0 ms'
  return ms > 0 ? `+${formatMs(ms)}` : `-${formatMs(-ms)}`
}

/** The colour of a delta: a slower run reads as bad, a faster one as good. */
export function deltaColor(ms: number | null | undefined): 'danger' | 'success' | undefined {
  if (!ms) return undefined
  return ms > 0 ? 'danger' : 'success'
}

export const OUTCOME_LABELS: Record<Outcome, string> = {
  trace: 'trace',
  json: 'JSON, not a trace',
  invalid_trace: 'invalid trace',
  not_json: 'not JSON',
  call_failed: 'call failed',
}

/** A run in one word or two: failed or ok, and what kind of answer when it was not a trace. */
export function runStatusLabel(run: Pick<RunSummary, 'failed' | 'outcome'>): string {
  const verdict = run.failed ? 'failed' : 'ok'
  return run.outcome === 'trace' ? verdict : `${verdict}: ${OUTCOME_LABELS[run.outcome]}`
}

export const SPAN_STATUS_COLORS: Record<SpanStatus, string> = {
  ok: 'green',
  error: 'red',
  timeout: 'volcano',
  skipped: 'default',
}

export const CHANGE_LABELS: Record<Change, string> = {
  slower: 'slower',
  faster: 'faster',
  same: 'same',
  newly_failed: 'newly failed',
  recovered: 'recovered',
  still_failing: 'still failing',
  added: 'added',
  removed: 'removed',
}

export const CHANGE_COLORS: Record<Change, string> = {
  slower: 'orange',
  faster: 'green',
  same: 'default',
  newly_failed: 'red',
  recovered: 'green',
  still_failing: 'volcano',
  added: 'blue',
  removed: 'default',
}

/** The changes in the order a reader looks for them: what broke first. */
export const CHANGE_ORDER: Change[] = ['newly_failed', 'still_failing', 'slower', 'recovered', 'faster', 'added', 'removed', 'same']

export const KIND_LABELS: Record<SpanKind, string> = {
  internal: 'internal',
  db: 'database',
  http: 'HTTP',
  rpc: 'RPC',
  cache: 'cache',
  queue: 'queue',
  storage: 'storage',
  search: 'search',
  other: 'other',
}

export interface DebugTabPlace {
  endpoint?: number
  run?: number
  compare?: number
  view?: RunView
}

/** The Debug tab of a service's page, with an endpoint, a run or a comparison open. */
export function debugTabPath(service: string, at: DebugTabPlace = {}): string {
  const search = new URLSearchParams({ tab: 'debug' })
  if (at.endpoint !== undefined) search.set('endpoint', String(at.endpoint))
  if (at.run !== undefined) search.set('run', String(at.run))
  if (at.compare !== undefined) search.set('compare', String(at.compare))
  if (at.view !== undefined) search.set('view', at.view)
  return `/catalog/services/${encodeURIComponent(service)}?${search.toString()}`
}

/** The JSON indented when `text` parses, else null (the raw text is shown as it is). */
export function prettyJsonText(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return null
  }
}
