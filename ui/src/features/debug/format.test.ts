import { describe, expect, it } from 'vitest'
import { debugTabPath, deltaColor, formatDelta, formatMs, prettyJsonText, runStatusLabel } from './format'

describe('formatMs', () => {
  it('says a duration with the precision that matters at its size', () => {
    expect(formatMs(0.4219)).toBe('0.42 ms')
    expect(formatMs(12.34)).toBe('12.3 ms')
    expect(formatMs(12)).toBe('12 ms')
    expect(formatMs(845.4)).toBe('845 ms')
    expect(formatMs(1240)).toBe('1.24 s')
    expect(formatMs(12_345)).toBe('12.3 s')
    expect(formatMs(125_000)).toBe('2 min 5 s')
    expect(formatMs(120_000)).toBe('2 min')
  })
})

describe('deltas', () => {
  it('signs the difference', () => {
    expect(formatDelta(12.3)).toBe('+12.3 ms')
    expect(formatDelta(-1500)).toBe('-1.5 s')
    expect(formatDelta(0)).toBe('±0 ms')
    expect(formatDelta(null)).toBe('—')
  })

  it('reads slower as bad and faster as good', () => {
    expect(deltaColor(5)).toBe('danger')
    expect(deltaColor(-5)).toBe('success')
    expect(deltaColor(0)).toBeUndefined()
    expect(deltaColor(null)).toBeUndefined()
  })
})

describe('runStatusLabel', () => {
  it('names the kind of answer when it was not a trace', () => {
    expect(runStatusLabel({ failed: false, outcome: 'trace' })).toBe('ok')
    expect(runStatusLabel({ failed: true, outcome: 'trace' })).toBe('failed')
    expect(runStatusLabel({ failed: false, outcome: 'json' })).toBe('ok: JSON, not a trace')
    expect(runStatusLabel({ failed: true, outcome: 'call_failed' })).toBe('failed: call failed')
  })
})

describe('debugTabPath', () => {
  it('opens the service page on its Debug tab', () => {
    expect(debugTabPath('shop api')).toBe('/catalog/services/shop%20api?tab=debug')
    expect(debugTabPath('shop', { endpoint: 3, run: 9, compare: 7, view: 'history' })).toBe(
      '/catalog/services/shop?tab=debug&endpoint=3&run=9&compare=7&view=history',
    )
  })
})

describe('prettyJsonText', () => {
  it('indents JSON and gives up on anything else', () => {
    expect(prettyJsonText('{"a":[1,2]}')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}')
    expect(prettyJsonText('<html>')).toBeNull()
  })
})
