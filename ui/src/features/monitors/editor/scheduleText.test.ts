import { describe, expect, it } from 'vitest'
import { describeSchedule, formatInZone, intervalSeconds, splitSeconds, timeZones } from './scheduleText'

describe('intervals', () => {
  it('edits an interval in the largest unit that divides it', () => {
    expect(splitSeconds(60)).toEqual({ every: 1, unit: 'minutes' })
    expect(splitSeconds(90)).toEqual({ every: 90, unit: 'seconds' })
    expect(splitSeconds(7200)).toEqual({ every: 2, unit: 'hours' })
    expect(intervalSeconds(5, 'minutes')).toBe(300)
    expect(intervalSeconds(null, 'minutes')).toBeNull()
    expect(intervalSeconds(0, 'seconds')).toBeNull()
  })
})

describe('describeSchedule', () => {
  it('words intervals and cron schedules', () => {
    expect(describeSchedule({ every_seconds: 60, timezone: 'UTC' })).toBe('every minute')
    expect(describeSchedule({ every_seconds: 300, timezone: 'UTC' })).toBe('every 5 minutes')
    expect(describeSchedule({ every_seconds: 45, timezone: 'UTC' })).toBe('every 45 seconds')
    expect(describeSchedule({ every_seconds: 86400, timezone: 'UTC' })).toBe('every day')
    expect(describeSchedule({ cron: '0 8 * * 1-5', timezone: 'Europe/Berlin' })).toBe('cron 0 8 * * 1-5 (Europe/Berlin)')
  })
})

describe('run times', () => {
  it('shows one moment in the given zone', () => {
    expect(formatInZone('2026-05-12T12:05:00Z', 'UTC')).toBe('Tue 12 May 2026 12:05:00')
    expect(formatInZone('2026-05-12T12:05:00Z', 'Europe/Berlin')).toBe('Tue 12 May 2026 14:05:00')
  })

  it('lists UTC first among the zones', () => {
    const zones = timeZones()
    expect(zones[0]).toBe('UTC')
    expect(zones.filter((zone) => zone === 'UTC')).toHaveLength(1)
  })
})
