/**
 * TTLs counted down in the browser. Redis gives each key's expiry as a time on its own
 * clock (`expires_at`, epoch ms) and the page its clock's reading (`server_time`); the
 * browser's clock may be off by seconds or minutes, so the countdown runs on the
 * server's clock, estimated as the browser's plus the offset measured when the page
 * arrived. Every function takes the clock's reading, so tests need no fake timers.
 */

/** How far the server's clock is ahead of the browser's (negative: behind). */
export function clockOffset(serverTimeMs: number, receivedAtMs: number): number {
  return serverTimeMs - receivedAtMs
}

/** The offset from one key alone (GET of a key has no `server_time`): the server read
 * its TTL at `expires_at - ttl_ms` on its clock. Zero when the key has no expiry. */
export function clockOffsetOfKey(key: { expires_at: number | null; ttl_ms: number | null }, receivedAtMs: number): number {
  if (key.expires_at === null || key.ttl_ms === null) return 0
  return clockOffset(key.expires_at - key.ttl_ms, receivedAtMs)
}

/** Milliseconds left before `expiresAtMs` (server clock) at browser time `nowMs`; null
 * for a key without expiry, never below zero. */
export function remainingMs(expiresAtMs: number | null, offsetMs: number, nowMs: number): number | null {
  if (expiresAtMs === null) return null
  return Math.max(0, expiresAtMs - (nowMs + offsetMs))
}

const pad = (value: number) => String(value).padStart(2, '0')

/** "42 s", "5 min 03 s", "2 h 05 min 03 s", "3 d 04 h": what is left, to the second
 * under a day (so it visibly counts down), coarser beyond. "expired" at zero. */
export function formatTtl(ms: number | null): string {
  if (ms === null) return 'no expiry'
  if (ms <= 0) return 'expired'
  // Rounded up: a key with 0.4 s left still shows "1 s", not "expired".
  const total = Math.ceil(ms / 1000)
  const days = Math.floor(total / 86_400)
  const hours = Math.floor((total % 86_400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  if (days > 0) return `${days} d ${pad(hours)} h`
  if (hours > 0) return `${hours} h ${pad(minutes)} min ${pad(seconds)} s`
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`
  return `${seconds} s`
}

/** The browser time at which a server-clock moment happens: to show an expiry in the
 * browser's zone. */
export function toBrowserTime(serverMs: number, offsetMs: number): Date {
  return new Date(serverMs - offsetMs)
}
