/** The value chart's data, built from stored runs: points, state bands and both axes. */
import dayjs from 'dayjs'
import type { MonitorState, Outcome, RunResult } from './types'

/** The time ranges offered, with where their axis ticks fall (on round local times) and how they read. */
export const RANGES = {
  '1h': { label: '1 hour', ms: 3_600_000, every: 10, unit: 'minute', format: 'HH:mm' },
  '24h': { label: '24 hours', ms: 86_400_000, every: 3, unit: 'hour', format: 'HH:mm' },
  '7d': { label: '7 days', ms: 7 * 86_400_000, every: 1, unit: 'day', format: 'ddd DD' },
} as const
export type RangeKey = keyof typeof RANGES

/** The shortest range that shows the whole history of a monitor created at `createdAt`
 * (a new monitor's runs fill the chart instead of a sliver at its right edge). */
export function fittingRange(createdAt: string, now: number = Date.now()): RangeKey {
  const age = now - Date.parse(createdAt)
  const fits = (Object.keys(RANGES) as RangeKey[]).find((key) => age <= RANGES[key].ms)
  return fits ?? '7d'
}

export const isRangeKey = (value: string | null): value is RangeKey => value != null && value in RANGES

export interface ChartPoint {
  t: number
  /** The run's value; null for a run without one, which leaves a gap in the line. */
  value: number | null
  /** For a run that failed with an error: where its marker sits (the bottom of the axis). */
  errorMark: number | null
  state: MonitorState
  outcome: Outcome
  valueText: string | null
  error: string | null
}

/** A stretch of time spent in one state: from its first run to the first run of the next state. */
export interface StateBand {
  state: MonitorState
  from: number
  to: number
}

export interface ChartData {
  points: ChartPoint[]
  bands: StateBand[]
  domain: [number, number]
  ticks: number[]
}

/** The value axis: every value and the threshold, with some room above (and below, unless that crosses zero). */
export function valueDomain(values: readonly number[], threshold: number | null): [number, number] {
  const all = threshold == null ? [...values] : [...values, threshold]
  if (all.length === 0) return [0, 1]
  const lo = Math.min(...all)
  const hi = Math.max(...all)
  const pad = hi > lo ? (hi - lo) * 0.1 : Math.max(1, Math.abs(lo) * 0.1)
  // Counts are never negative: an axis starting at 0 reads better than one at -0.3.
  const lower = lo >= 0 ? Math.max(0, lo - pad) : lo - pad
  return [lower, hi + pad]
}

/** A round step near `raw`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const fraction = raw / magnitude
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
  return nice * magnitude
}

/** The value axis on round numbers (whole ones when every value is whole), about five ticks. */
export function valueAxis(values: readonly number[], threshold: number | null): { domain: [number, number]; ticks: number[] } {
  const [lo, hi] = valueDomain(values, threshold)
  const whole = [...values, ...(threshold == null ? [] : [threshold])].every(Number.isInteger)
  const step = whole ? Math.max(1, niceStep((hi - lo) / 4)) : niceStep((hi - lo) / 4)
  const lower = Math.floor(lo / step) * step
  const upper = Math.ceil(hi / step) * step
  const ticks: number[] = []
  for (let i = 0; lower + i * step <= upper + step / 2; i++) ticks.push(Number((lower + i * step).toPrecision(12)))
  return { domain: [ticks[0], ticks[ticks.length - 1]], ticks }
}

/** Time ticks on round local times (every 10 minutes, 3 hours or day) within [start, end]. */
export function timeTicks(start: number, end: number, range: RangeKey): number[] {
  const { every, unit } = RANGES[range]
  let tick = dayjs(start).startOf(unit === 'minute' ? 'hour' : 'day')
  const ticks: number[] = []
  while (tick.valueOf() <= end) {
    if (tick.valueOf() >= start) ticks.push(tick.valueOf())
    tick = tick.add(every, unit)
  }
  return ticks
}

/** Contiguous runs of the same state; the last one lasts until `end` (now). */
export function stateBands(points: readonly Pick<ChartPoint, 't' | 'state'>[], end: number): StateBand[] {
  const bands: StateBand[] = []
  for (const point of points) {
    const last = bands[bands.length - 1]
    if (last && last.state === point.state) continue
    if (last) last.to = point.t
    bands.push({ state: point.state, from: point.t, to: point.t })
  }
  const last = bands[bands.length - 1]
  if (last) last.to = Math.max(last.to, end)
  return bands
}

/** Runs (newest first, as the API gives them) into the chart's data, oldest first. */
export function buildChart(results: readonly RunResult[], threshold: number | null, end: number): ChartData {
  const ordered = [...results].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at))
  const values = ordered.flatMap((r) => (r.outcome !== 'error' && r.value != null ? [r.value] : []))
  const { domain, ticks } = valueAxis(values, threshold)
  const points = ordered.map((r) => ({
    t: Date.parse(r.started_at),
    value: r.outcome === 'error' ? null : r.value,
    errorMark: r.outcome === 'error' ? domain[0] : null,
    state: r.state,
    outcome: r.outcome,
    valueText: r.value_text,
    error: r.error,
  }))
  return { points, bands: stateBands(points, end), domain, ticks }
}
