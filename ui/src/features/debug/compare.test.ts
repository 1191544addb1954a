import { describe, expect, it } from 'vitest'
import { changeCounts, comparedPair, visibleDeltas } from './compare'
import type { Change, SpanDelta } from './types'

function delta(key: string, depth: number, change: Change): SpanDelta {
  return { key, name: key, kind: 'internal', depth, base: null, other: null, delta_ms: null, change }
}

describe('changeCounts', () => {
  it('lists what changed, failures first, and leaves out what did not happen', () => {
    expect(changeCounts({ same: 10, slower: 2, newly_failed: 1, added: 0 })).toEqual([
      { change: 'newly_failed', count: 1 },
      { change: 'slower', count: 2 },
      { change: 'same', count: 10 },
    ])
  })
})

describe('comparedPair', () => {
  it('takes the older run as the base', () => {
    expect(comparedPair(9, 4)).toEqual({ base: 4, other: 9 })
    expect(comparedPair(4, 9)).toEqual({ base: 4, other: 9 })
  })
})

describe('visibleDeltas', () => {
  const spans = [
    delta('root', 0, 'same'),
    delta('root/a', 1, 'same'),
    delta('root/a/x', 2, 'slower'),
    delta('root/b', 1, 'same'),
    delta('other', 0, 'same'),
    delta('last', 0, 'removed'),
  ]

  it('shows every span unless asked for the changes', () => {
    expect(visibleDeltas(spans, false)).toHaveLength(6)
  })

  it('keeps the changed spans with the spans above them', () => {
    expect(visibleDeltas(spans, true).map((span) => span.key)).toEqual(['root', 'root/a', 'root/a/x', 'last'])
  })
})
