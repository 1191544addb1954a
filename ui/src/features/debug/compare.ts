import { CHANGE_ORDER } from './format'
import type { Change, SpanDelta } from './types'

export interface ChangeCount {
  change: Change
  count: number
}

/** The changes that happened, the ones that broke first. */
export function changeCounts(counts: Partial<Record<Change, number>>): ChangeCount[] {
  return CHANGE_ORDER.filter((change) => (counts[change] ?? 0) > 0).map((change) => ({ change, count: counts[change] ?? 0 }))
}

/** The two runs to compare, the older as the base, so "slower" means it got slower since. */
export function comparedPair(first: number, second: number): { base: number; other: number } {
  return first < second ? { base: first, other: second } : { base: second, other: first }
}

/** The rows to show: every span, or only those that changed with the spans above them
 * (the tree stays readable: a changed span keeps its parents). */
export function visibleDeltas(spans: readonly SpanDelta[], changedOnly: boolean): SpanDelta[] {
  if (!changedOnly) return [...spans]
  const keep = new Array<boolean>(spans.length).fill(false)
  // The nearest row above at each depth: a changed row keeps that chain.
  const ancestors: number[] = []
  spans.forEach((span, index) => {
    ancestors.length = span.depth
    if (span.change !== 'same') {
      keep[index] = true
      for (const above of ancestors) keep[above] = true
    }
    ancestors.push(index)
  })
  return spans.filter((_, index) => keep[index])
}
