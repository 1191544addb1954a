import { describe, expect, it } from 'vitest'
import { buildChart, fittingRange, niceStep, RANGES, stateBands, timeTicks, valueAxis, valueDomain } from './chart'
import type { RunResult } from './types'

let nextId = 1
function run(minute: number, changes: Partial<RunResult>): RunResult {
  return {
    id: nextId++,
    monitor_id: 1,
    trigger: 'schedule',
    scheduled_for: null,
    started_at: new Date(Date.UTC(2024, 0, 1, 12, minute)).toISOString(),
    duration_ms: 5,
    outcome: 'pass',
    state: 'OK',
    value: 0,
    value_text: null,
    error: null,
    sample: null,
    ...changes,
  }
}
const at = (minute: number) => Date.UTC(2024, 0, 1, 12, minute)

describe('value axis', () => {
  it('holds every value and the threshold, starting at zero for counts', () => {
    expect(valueDomain([2, 4], 10)).toEqual([1.2, 10.8])
    expect(valueDomain([1, 3], 0)).toEqual([0, 3.3])
  })

  it('gives a flat series some height, and an empty one a unit', () => {
    expect(valueDomain([5, 5], null)).toEqual([4, 6])
    expect(valueDomain([], null)).toEqual([0, 1])
    expect(valueDomain([-2], null)).toEqual([-3, -1])
  })
})

describe('round axes', () => {
  it('steps by 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0.55, 1.1, 2.2, 3, 7, 40, 0].map(niceStep)).toEqual([1, 2, 2.5, 5, 10, 50, 1])
  })

  it('ticks whole numbers for counts and round decimals for ratios', () => {
    expect(valueAxis([0, 2], 0)).toEqual({ domain: [0, 3], ticks: [0, 1, 2, 3] })
    expect(valueAxis([5, 5], null)).toEqual({ domain: [4, 6], ticks: [4, 5, 6] })
    expect(valueAxis([0.1, 0.42], 0.3)).toEqual({ domain: [0, 0.5], ticks: [0, 0.1, 0.2, 0.3, 0.4, 0.5] })
  })

  it('puts time ticks on round times inside the range', () => {
    const end = Date.UTC(2024, 0, 1, 12, 34)
    for (const range of ['1h', '24h', '7d'] as const) {
      const start = end - RANGES[range].ms
      const ticks = timeTicks(start, end, range)
      expect(ticks.length).toBeGreaterThanOrEqual(5)
      expect(ticks.length).toBeLessThanOrEqual(10)
      expect(ticks.every((t) => t >= start && t <= end)).toBe(true)
    }
    expect(timeTicks(end - RANGES['1h'].ms, end, '1h').map((t) => new Date(t).getUTCMinutes() % 10)).toEqual([0, 0, 0, 0, 0, 0])
  })
})

describe('state bands', () => {
  it('joins contiguous runs of a state, each band ending where the next begins', () => {
    const points = [
      { t: 1, state: 'OK' as const },
      { t: 2, state: 'OK' as const },
      { t: 3, state: 'ALERTING' as const },
      { t: 4, state: 'ALERTING' as const },
      { t: 5, state: 'OK' as const },
    ]
    expect(stateBands(points, 9)).toEqual([
      { state: 'OK', from: 1, to: 3 },
      { state: 'ALERTING', from: 3, to: 5 },
      { state: 'OK', from: 5, to: 9 },
    ])
  })

  it('has no band without runs', () => {
    expect(stateBands([], 9)).toEqual([])
  })
})

describe('chart data', () => {
  it('orders runs oldest first, leaves gaps for errors and marks them at the bottom', () => {
    const results = [
      run(3, { value: 4, outcome: 'fail', state: 'ALERTING', value_text: '4' }),
      run(2, { value: null, outcome: 'error', state: 'ERROR', error: 'timeout' }),
      run(1, { value: 0 }),
    ]
    const chart = buildChart(results, 0, at(10))
    expect(chart.points.map((p) => p.t)).toEqual([at(1), at(2), at(3)])
    expect(chart.points.map((p) => p.value)).toEqual([0, null, 4])
    expect(chart.domain).toEqual([0, 6])
    expect(chart.ticks).toEqual([0, 2, 4, 6])
    expect(chart.points.map((p) => p.errorMark)).toEqual([null, 0, null])
    expect(chart.points[1].error).toBe('timeout')
    expect(chart.bands).toEqual([
      { state: 'OK', from: at(1), to: at(2) },
      { state: 'ERROR', from: at(2), to: at(3) },
      { state: 'ALERTING', from: at(3), to: at(10) },
    ])
  })

  it('keeps the threshold on the axis even when every value is far below it', () => {
    const chart = buildChart([run(1, { value: 1 }), run(2, { value: 2 })], 100, at(5))
    expect(chart.domain[0]).toBeLessThanOrEqual(1)
    expect(chart.domain[1]).toBeGreaterThan(100)
  })
})

describe('default range', () => {
  const now = Date.parse('2026-12-02T12:00:00Z')
  it('is the shortest range that holds the whole history', () => {
    expect(fittingRange('2026-12-02T11:30:00Z', now)).toBe('1h')
    expect(fittingRange('2026-12-02T02:00:00Z', now)).toBe('24h')
    expect(fittingRange('2026-11-30T12:00:00Z', now)).toBe('7d')
    expect(fittingRange('2025-01-01T00:00:00Z', now)).toBe('7d')
  })
})
