import dayjs from 'dayjs'
import relativeTime from 'dayjs/plugin/relativeTime'
import utc from 'dayjs/plugin/utc'

dayjs.extend(relativeTime)
dayjs.extend(utc)

/** The browser's short name of its zone at `at` ("UTC", "CET", "GMT+1"). */
export function zoneName(at: Date, locale?: string): string {
  const part = new Intl.DateTimeFormat(locale ?? 'en-GB', { timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')
  return part?.value ?? ''
}

/** "2026-12-01 20:16:28 CET": the browser's local time, with its zone. */
export function formatAbsolute(at: string | Date, { seconds = true }: { seconds?: boolean } = {}): string {
  const moment = dayjs(at)
  const zone = zoneName(moment.toDate())
  return `${moment.format(seconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm')}${zone ? ` ${zone}` : ''}`
}

/** "2026-12-01 19:16:28 UTC", for the tooltip of a local time. */
export function formatUtc(at: string | Date): string {
  return `${dayjs(at).utc().format('YYYY-MM-DD HH:mm:ss')} UTC`
}

export function fromNow(at: string | Date): string {
  return dayjs(at).fromNow()
}
