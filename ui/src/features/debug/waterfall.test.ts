import { describe, expect, it } from 'vitest'
import type { Span } from './types'
import {
  FAILING_COLOR,
  KIND_COLORS,
  SKIPPED_COLOR,
  axisTicks,
  axisTotal,
  barColor,
  barGeometry,
  findSpan,
  flattenSpans,
  labelPlace,
  niceStep,
  parentIds,
  spanKinds,
} from './waterfall'

function span(id: string, children: Span[] = [], overrides: Partial<Span> = {}): Span {
  return {
    id,
    name: `span ${id}`,
    kind: 'internal',
    target: null,
    start_ms: 0,
    duration_ms: 10,
    self_ms: 10,
    status: 'ok',
    error: null,
    attributes: {},
    critical: false,
    slowest: false,
    children,
    ...overrides,
  }
}

const tree = [span('0', [span('0.0', [span('0.0.0')]), span('0.1')]), span('1')]

describe('flattenSpans', () => {
  it('lists parents before their children, with their depth', () => {
    const rows = flattenSpans(tree, new Set())
    expect(rows.map((row) => [row.span.id, row.depth])).toEqual([
      ['0', 0],
      ['0.0', 1],
      ['0.0.0', 2],
      ['0.1', 1],
      ['1', 0],
    ])
    expect(rows.map((row) => row.hasChildren)).toEqual([true, true, false, false, false])
    expect(rows.every((row) => row.expanded === row.hasChildren)).toBe(true)
  })

  it('leaves out what lies under a collapsed span, and says it is collapsed', () => {
    const rows = flattenSpans(tree, new Set(['0.0']))
    expect(rows.map((row) => row.span.id)).toEqual(['0', '0.0', '0.1', '1'])
    expect(rows[1]).toMatchObject({ hasChildren: true, expanded: false })
  })

  it('keeps a collapsed subtree folded when its parent is collapsed too', () => {
    expect(flattenSpans(tree, new Set(['0', '0.0'])).map((row) => row.span.id)).toEqual(['0', '1'])
  })

  it('walks a trace deeper than the call stack', () => {
    let deepest = span('x')
    for (let level = 0; level < 20_000; level += 1) deepest = span(`d${level}`, [deepest])
    const rows = flattenSpans([deepest], new Set())
    expect(rows).toHaveLength(20_001)
    expect(rows[20_000].depth).toBe(20_000)
  })
})

describe('parentIds, spanKinds and findSpan', () => {
  it('finds every span with children', () => {
    expect(parentIds(tree).sort()).toEqual(['0', '0.0'])
  })

  it('lists the kinds the trace holds, in the legend order', () => {
    expect(spanKinds([span('0', [span('0.0', [], { kind: 'db' })], { kind: 'http' }), span('1')])).toEqual(['internal', 'db', 'http'])
  })

  it('finds a span by its place in the tree', () => {
    expect(findSpan(tree, '0.0.0')?.name).toBe('span 0.0.0')
    expect(findSpan(tree, '1')?.name).toBe('span 1')
    expect(findSpan(tree, '0.5')).toBeNull()
    expect(findSpan(tree, '0.x')).toBeNull()
  })
})

describe('the time axis', () => {
  it('steps by 1, 2 or 5 times a power of ten, at least three quarters of the step asked for', () => {
    expect(niceStep(0.3)).toBe(0.5)
    expect(niceStep(1)).toBe(1)
    expect(niceStep(13)).toBe(10)
    expect(niceStep(41.7)).toBe(50)
    expect(niceStep(260)).toBe(200)
    expect(niceStep(80)).toBe(100)
    expect(niceStep(0)).toBe(1)
  })

  it('puts round ticks from 0 up to the end', () => {
    const ticks = axisTicks(250)
    expect(ticks.map((tick) => tick.ms)).toEqual([0, 50, 100, 150, 200, 250])
    expect(ticks.map((tick) => tick.percent)).toEqual([0, 20, 40, 60, 80, 100])
    expect(ticks.map((tick) => tick.label)).toEqual(['0', '50 ms', '100 ms', '150 ms', '200 ms', '250 ms'])
  })

  it('stops before the end when the step does not divide it', () => {
    const ticks = axisTicks(1234)
    expect(ticks.map((tick) => tick.ms)).toEqual([0, 200, 400, 600, 800, 1000, 1200])
    expect(ticks.at(-1)?.label).toBe('1.2 s')
  })

  it('gives a narrow axis fewer ticks', () => {
    expect(axisTicks(1240, 3).map((tick) => tick.label)).toEqual(['0', '500 ms', '1 s'])
  })

  it('keeps small steps round', () => {
    expect(axisTicks(0.7, 3).map((tick) => tick.ms)).toEqual([0, 0.2, 0.4, 0.6])
  })

  it('has one tick for an empty trace', () => {
    expect(axisTicks(0)).toEqual([{ ms: 0, percent: 0, label: '0' }])
  })

  it('reaches as far as the last span when it ends after the trace', () => {
    expect(axisTotal(100, [span('0', [], { start_ms: 90, duration_ms: 30 })])).toBe(120)
    expect(axisTotal(100, [span('0')])).toBe(100)
  })
})

describe('bars', () => {
  it('sits at the start and spans the duration, in percent of the axis', () => {
    expect(barGeometry({ start_ms: 25, duration_ms: 50 }, 200)).toEqual({ leftPercent: 12.5, widthPercent: 25 })
  })

  it('stays inside the axis', () => {
    expect(barGeometry({ start_ms: 150, duration_ms: 100 }, 200)).toEqual({ leftPercent: 75, widthPercent: 25 })
    expect(barGeometry({ start_ms: 300, duration_ms: 10 }, 200)).toEqual({ leftPercent: 100, widthPercent: 0 })
    expect(barGeometry({ start_ms: 0, duration_ms: 10 }, 0)).toEqual({ leftPercent: 0, widthPercent: 0 })
  })

  it('labels a bar after it, before it when it ends near the end, inside it when it spans most of the axis', () => {
    expect(labelPlace({ leftPercent: 10, widthPercent: 20 })).toBe('after')
    expect(labelPlace({ leftPercent: 70, widthPercent: 20 })).toBe('before')
    expect(labelPlace({ leftPercent: 5, widthPercent: 85 })).toBe('inside')
  })

  it('is red when failing, grey when skipped, else the colour of its kind', () => {
    expect(barColor({ status: 'error', kind: 'db' })).toBe(FAILING_COLOR)
    expect(barColor({ status: 'timeout', kind: 'http' })).toBe(FAILING_COLOR)
    expect(barColor({ status: 'skipped', kind: 'db' })).toBe(SKIPPED_COLOR)
    expect(barColor({ status: 'ok', kind: 'cache' })).toBe(KIND_COLORS.cache)
  })
})
