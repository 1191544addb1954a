/** The waterfall's arithmetic, apart from React: which rows show, where the ticks and
 * bars go, and what colour each bar is. */
import { formatMs } from './format'
import type { Span, SpanKind } from './types'

export interface WaterfallRow {
  span: Span
  depth: number
  hasChildren: boolean
  expanded: boolean
}

/** The spans as rows, parents before children in start order, leaving out what lies under
 * a collapsed span. Iterative: a trace may nest deeper than the call stack allows. */
export function flattenSpans(spans: readonly Span[], collapsed: ReadonlySet<string>): WaterfallRow[] {
  const rows: WaterfallRow[] = []
  const pending: { span: Span; depth: number }[] = spans.map((span) => ({ span, depth: 0 })).reverse()
  while (pending.length > 0) {
    const { span, depth } = pending.pop() as { span: Span; depth: number }
    const hasChildren = span.children.length > 0
    const expanded = hasChildren && !collapsed.has(span.id)
    rows.push({ span, depth, hasChildren, expanded })
    if (expanded) {
      for (let index = span.children.length - 1; index >= 0; index -= 1) pending.push({ span: span.children[index], depth: depth + 1 })
    }
  }
  return rows
}

/** The ids of every span that has children: what "collapse all" folds. */
export function parentIds(spans: readonly Span[]): string[] {
  const found: string[] = []
  const pending = [...spans]
  while (pending.length > 0) {
    const span = pending.pop() as Span
    if (span.children.length > 0) {
      found.push(span.id)
      pending.push(...span.children)
    }
  }
  return found
}

/** The kinds of span the trace holds, in the order the legend lists kinds. */
export function spanKinds(spans: readonly Span[]): SpanKind[] {
  const seen = new Set<SpanKind>()
  const pending = [...spans]
  while (pending.length > 0) {
    const span = pending.pop() as Span
    seen.add(span.kind)
    pending.push(...span.children)
  }
  return (Object.keys(KIND_COLORS) as SpanKind[]).filter((kind) => seen.has(kind))
}

/** The span at `id`, its place in the tree ('0.2.1': the first root's third child's second). */
export function findSpan(spans: readonly Span[], id: string): Span | null {
  let level: readonly Span[] = spans
  let found: Span | null = null
  for (const part of id.split('.')) {
    if (!/^\d+$/.test(part)) return null
    found = level[Number(part)] ?? null
    if (found === null) return null
    level = found.children
  }
  return found
}

/** The total the axis spans: the trace's own, or where its last span ends if that is later. */
export function axisTotal(durationMs: number, spans: readonly Span[]): number {
  let end = durationMs
  for (const span of spans) end = Math.max(end, span.start_ms + span.duration_ms)
  return end
}

/** The smallest round step (1, 2 or 5 times a power of ten) of at least three quarters of
 * `raw`: about as many ticks as asked for, and never many more (they would overlap). */
export function niceStep(raw: number): number {
  if (!(raw > 0)) return 1
  const floor = raw * 0.75
  const power = 10 ** Math.floor(Math.log10(floor))
  const scaled = floor / power
  const factor = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10
  return factor * power
}

export interface Tick {
  ms: number
  /** Where on the axis, 0 to 100. */
  percent: number
  label: string
}

/** About `wanted` ticks from 0 at round steps, none past the end. */
export function axisTicks(totalMs: number, wanted = 6): Tick[] {
  if (!(totalMs > 0)) return [{ ms: 0, percent: 0, label: formatTick(0) }]
  const step = niceStep(totalMs / wanted)
  const ticks: Tick[] = []
  // Counted in steps, not added up, so that 0.1 + 0.2 does not drift off the round values.
  for (let index = 0; index * step <= totalMs * (1 + 1e-9); index += 1) {
    const ms = Number((index * step).toPrecision(12))
    ticks.push({ ms, percent: (ms / totalMs) * 100, label: formatTick(ms) })
  }
  return ticks
}

function formatTick(ms: number): string {
  return ms === 0 ? '0' : formatMs(ms)
}

export interface BarGeometry {
  leftPercent: number
  widthPercent: number
}

/** A span's bar on an axis of `totalMs`, kept inside it. */
export function barGeometry(span: Pick<Span, 'start_ms' | 'duration_ms'>, totalMs: number): BarGeometry {
  if (!(totalMs > 0)) return { leftPercent: 0, widthPercent: 0 }
  const leftPercent = clamp((span.start_ms / totalMs) * 100, 0, 100)
  const widthPercent = clamp((span.duration_ms / totalMs) * 100, 0, 100 - leftPercent)
  return { leftPercent, widthPercent }
}

export type LabelPlace = 'after' | 'before' | 'inside'

/** Where the duration's label goes: after the bar, unless the bar ends near the axis' end;
 * then before it, unless it also starts near the beginning: then inside it (it is wide). */
export function labelPlace(geometry: BarGeometry): LabelPlace {
  if (geometry.leftPercent + geometry.widthPercent <= 78) return 'after'
  return geometry.leftPercent >= 22 ? 'before' : 'inside'
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high)
}

export const KIND_COLORS: Record<SpanKind, string> = {
  internal: '#1677ff',
  db: '#08979c',
  http: '#722ed1',
  rpc: '#2f54eb',
  cache: '#c41d7f',
  queue: '#389e0d',
  storage: '#7cb305',
  search: '#531dab',
  other: '#1d39c4',
}

export const FAILING_COLOR = '#f5222d'
export const SKIPPED_COLOR = '#bfbfbf'

export function isFailing(span: Pick<Span, 'status'>): boolean {
  return span.status === 'error' || span.status === 'timeout'
}

/** Red for what failed, grey for what did not run, else the colour of its kind. */
export function barColor(span: Pick<Span, 'status' | 'kind'>): string {
  if (isFailing(span)) return FAILING_COLOR
  if (span.status === 'skipped') return SKIPPED_COLOR
  return KIND_COLORS[span.kind]
}
