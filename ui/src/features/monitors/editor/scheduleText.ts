/** Schedules in words, the interval units of the form, and run times for the next-runs helper. */
import type { Schedule } from './model'

export type IntervalUnit = 'seconds' | 'minutes' | 'hours'

export const UNIT_SECONDS: Record<IntervalUnit, number> = { seconds: 1, minutes: 60, hours: 3600 }

export const INTERVAL_PRESETS: readonly { label: string; seconds: number }[] = [
  { label: '1 min', seconds: 60 },
  { label: '5 min', seconds: 300 },
  { label: '15 min', seconds: 900 },
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86400 },
]

export const CRON_EXAMPLES: readonly { cron: string; label: string }[] = [
  { cron: '*/15 * * * *', label: 'every 15 minutes' },
  { cron: '0 * * * *', label: 'every hour' },
  { cron: '0 8 * * 1-5', label: 'weekdays at 08:00' },
  { cron: '30 2 * * *', label: 'daily at 02:30' },
]

/** The largest unit that divides the interval evenly, so 300 s edits as "5 minutes". */
export function splitSeconds(seconds: number): { every: number; unit: IntervalUnit } {
  for (const unit of ['hours', 'minutes'] as const) {
    if (seconds >= UNIT_SECONDS[unit] && seconds % UNIT_SECONDS[unit] === 0) {
      return { every: seconds / UNIT_SECONDS[unit], unit }
    }
  }
  return { every: seconds, unit: 'seconds' }
}

export function intervalSeconds(every: number | null | undefined, unit: IntervalUnit): number | null {
  if (every === null || every === undefined || !Number.isFinite(every) || every <= 0) return null
  return Math.round(every * UNIT_SECONDS[unit])
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${count} ${word}s`
}

/** "every 5 minutes", "every 90 seconds", "cron 0 8 * * 1-5 (Europe/Berlin)". */
export function describeSchedule(schedule: Schedule): string {
  if (schedule.cron) return `cron ${schedule.cron} (${schedule.timezone || 'UTC'})`
  const seconds = schedule.every_seconds ?? 0
  if (seconds === 86400) return 'every day'
  const { every, unit } = splitSeconds(seconds)
  return `every ${plural(every, unit.slice(0, -1))}`
}

/** A moment in one time zone, e.g. "Tue 12 May 2026 14:05:00" (built from parts: ICU versions punctuate differently). */
export function formatInZone(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')} ${part('hour')}:${part('minute')}:${part('second')}`
}

/** The browser's time zone, which is what "local time" means to the person editing. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** IANA zones for the cron time-zone picker, UTC first. */
export function timeZones(): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...all.filter((zone) => zone !== 'UTC')]
}
