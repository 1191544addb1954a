import { describe, expect, it } from 'vitest'
import { clockOffset, clockOffsetOfKey, formatTtl, remainingMs, toBrowserTime } from './ttl'

describe('TTL countdown', () => {
  it('counts on the server clock, whatever the browser clock says', () => {
    // The server is 90 s ahead of the browser; the key expires 60 s after the page.
    const serverTime = 1_000_090_000
    const receivedAt = 1_000_000_000
    const offset = clockOffset(serverTime, receivedAt)
    expect(offset).toBe(90_000)
    const expiresAt = serverTime + 60_000
    expect(remainingMs(expiresAt, offset, receivedAt)).toBe(60_000)
    expect(remainingMs(expiresAt, offset, receivedAt + 1_500)).toBe(58_500)
    expect(remainingMs(expiresAt, offset, receivedAt + 120_000)).toBe(0)
  })

  it('knows no countdown for a key without expiry', () => {
    expect(remainingMs(null, 0, 5)).toBeNull()
    expect(formatTtl(null)).toBe('no expiry')
  })

  it('derives the offset from a single key', () => {
    // Read by the server at 10_000 (its clock) with 5 s left; arrived at browser time 4_000.
    expect(clockOffsetOfKey({ expires_at: 15_000, ttl_ms: 5_000 }, 4_000)).toBe(6_000)
    expect(clockOffsetOfKey({ expires_at: null, ttl_ms: null }, 4_000)).toBe(0)
  })

  it('shows seconds under a day and coarser beyond', () => {
    expect(formatTtl(0)).toBe('expired')
    expect(formatTtl(400)).toBe('1 s')
    expect(formatTtl(42_000)).toBe('42 s')
    expect(formatTtl((5 * 60 + 3) * 1000)).toBe('5 min 03 s')
    expect(formatTtl((2 * 3600 + 5 * 60 + 3) * 1000)).toBe('2 h 05 min 03 s')
    expect(formatTtl((3 * 86_400 + 4 * 3600 + 59) * 1000)).toBe('3 d 04 h')
  })

  it('places a server-clock expiry on the browser clock', () => {
    expect(toBrowserTime(100_000, 30_000).getTime()).toBe(70_000)
  })
})
