import { describe, expect, it } from 'vitest'
import { formatAbsolute, formatUtc, zoneName } from './time'

describe('times', () => {
  it('shows the local time with the zone, and UTC for the tooltip', () => {
    const at = '2026-12-01T19:16:28Z'
    const zone = zoneName(new Date(at))
    expect(zone).not.toBe('')
    expect(formatAbsolute(at)).toMatch(new RegExp(`^2026-12-0[12] \\d\\d:\\d\\d:28 ${zone.replace('+', '\\+')}$`))
    expect(formatUtc(at)).toBe('2026-12-01 19:16:28 UTC')
  })

  it('can leave out the seconds', () => {
    expect(formatAbsolute('2026-12-01T19:16:28Z', { seconds: false })).not.toContain(':28')
  })
})
