import type { Breakpoint } from 'antd'
import type { ConsumerState, MessageRef, StartFrom, Subscription, ValueFormat } from './types'

export const NEEDS_MESSAGES_WRITE = 'You need the Async messages write permission on this service'
export const NEEDS_MESSAGES_WRITE_ANY = 'You need the Async messages write permission on some service'
export const NEEDS_MESSAGES_EXPORT = 'You need the Async messages export permission to download messages'

/** Columns a narrow screen leaves out, so the name, the state and the lag fit. */
export const NOT_NARROW: Breakpoint[] = ['md']

export const STATE_LABELS: Record<ConsumerState, string> = {
  starting: 'starting',
  running: 'running',
  paused: 'paused',
  error: 'error',
}

export const STATE_COLORS: Record<ConsumerState, string> = {
  starting: 'blue',
  running: 'green',
  paused: 'default',
  error: 'red',
}

export const STATE_HINTS: Record<ConsumerState, string> = {
  starting: 'Saved; waiting for a worker to join the topic',
  running: 'A worker consumes the topic and stores every message',
  paused: 'Not consuming: resume it to go on from where it stopped',
  error: 'The consumer cannot run',
}

export const VALUE_FORMATS: { value: ValueFormat; label: string }[] = [
  { value: 'protobuf', label: 'Protobuf' },
  { value: 'json', label: 'JSON' },
  { value: 'text', label: 'Text' },
  { value: 'bytes', label: 'Bytes' },
]

export const START_LABELS: Record<StartFrom, string> = {
  latest: 'New messages only',
  earliest: 'The oldest message the topic keeps',
  timestamp: 'A point in time',
}

/** "protobuf shop.OrderEvent", "json": how a subscription's values are read. */
export function formatLabel(subscription: Pick<Subscription, 'value_format' | 'message_type'>): string {
  if (subscription.value_format === 'protobuf' && subscription.message_type) return subscription.message_type
  return subscription.value_format
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US')
}

/** "12.3 KiB": a value's size. */
export function bytes(size: number): string {
  if (size < 1024) return `${size} B`
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`
  return `${(size / (1024 * 1024)).toFixed(1)} MiB`
}

export function subscriptionPath(id: number): string {
  return `/messages/subscriptions/${id}`
}

/** The message browser, optionally narrowed (`/messages/browse?subscription=3`). */
export function browsePath(query: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text ? `/messages/browse?${text}` : '/messages/browse'
}

/** A message's place as one token for the address ("3.0.42"), and back. */
export function refToken(ref: MessageRef): string {
  return `${ref.subscriptionId}.${ref.partition}.${ref.offset}`
}

export function parseRefToken(token: string | null): MessageRef | null {
  const match = /^(\d{1,10})\.(\d{1,10})\.(\d{1,19})$/.exec(token ?? '')
  if (!match) return null
  return { subscriptionId: Number(match[1]), partition: Number(match[2]), offset: Number(match[3]) }
}

export function refKey(row: { subscription_id: number; partition: number; offset: number }): string {
  return `${row.subscription_id}.${row.partition}.${row.offset}`
}

export function messageApiPath(ref: MessageRef): string {
  return `/api/v1/messages/${ref.subscriptionId}/${ref.partition}/${ref.offset}`
}

/**
 * A hex dump of `hex` (two digits a byte), 16 bytes a line:
 * `00000010  0a 03 66 6f 6f 10 01 1a  02 68 69              |..foo....hi|`
 */
export function hexDump(hex: string, width = 16): string[] {
  const bytesOf = hex.match(/../g) ?? []
  const lines: string[] = []
  for (let start = 0; start < bytesOf.length; start += width) {
    const chunk = bytesOf.slice(start, start + width)
    const half = width / 2
    const cells = Array.from({ length: width }, (_, i) => chunk[i] ?? '  ')
    const hexPart = `${cells.slice(0, half).join(' ')}  ${cells.slice(half).join(' ')}`
    const text = chunk
      .map((pair) => {
        const code = parseInt(pair, 16)
        return code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : '.'
      })
      .join('')
    lines.push(`${start.toString(16).padStart(8, '0')}  ${hexPart}  |${text}|`)
  }
  return lines
}

/** The JSON text the replay editor starts from: the decoded value, indented. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null'
}
