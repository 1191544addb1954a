import type { Breakpoint } from 'antd'
import type { InstanceRef, KeyInfo } from './types'

export const NEEDS_CACHE_WRITE = 'You need the Business cache write permission on this service'
export const READ_ONLY_REASON = 'The instance is read-only in the catalog'

/** Columns a narrow screen leaves out, so the key, its type and TTL fit. */
export const NOT_NARROW: Breakpoint[] = ['md']
/** Columns only a wide screen shows. */
export const WIDE_ONLY: Breakpoint[] = ['lg']

export { MONO } from '../../components/preStyle'

export const TYPE_COLORS: Record<string, string> = {
  string: 'blue',
  hash: 'purple',
  list: 'green',
  set: 'orange',
  zset: 'magenta',
  stream: 'cyan',
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US')
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

/** "512 B", "12.3 KiB", "4.0 GiB": a size for people (powers of 1024, as Redis reports). */
export function humanBytes(size: number | null | undefined): string {
  if (size === null || size === undefined) return '—'
  let value = size
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`
}

/** A key's size: bytes from MEMORY USAGE, or, when that command is not allowed, its
 * length (bytes of a string, elements of the others), which is only a hint. */
export function sizeLabel(key: Pick<KeyInfo, 'size' | 'size_source'>): string {
  if (key.size === null) return '—'
  if (key.size_source === 'length') return `~${count(key.size)} (length)`
  return humanBytes(key.size)
}

export const SIZE_BY_LENGTH_HINT =
  'MEMORY USAGE is not allowed on this Redis (its ACL or a managed service refuses it): this is the length, not the memory'

/** The cache page of an instance (and optionally a tab or an opened key), as links name it. */
export function cachePath(ref?: { service: string; instanceId: number }, extra: Record<string, string> = {}): string {
  if (!ref) return '/cache'
  const search = new URLSearchParams({ service: ref.service, instance: String(ref.instanceId), ...extra })
  return `/cache?${search.toString()}`
}

function instanceApi({ service, instanceId }: InstanceRef): string {
  return `/api/v1/services/${encodeURIComponent(service)}/redis/${instanceId}`
}

/** Where a string value downloads (the session's cookie authenticates a plain link). */
export function downloadHref(ref: InstanceRef, keyB64: string): string {
  return `${instanceApi(ref)}/keys/${keyB64}/download`
}

/** What the user sees of the full pattern: the instance's prefix, then the glob. */
export function fullPattern(prefix: string, pattern: string): string {
  return `${prefix}${pattern || '*'}`
}

/** "12 keys", "1 key". */
export function keysCount(value: number): string {
  return `${count(value)} ${value === 1 ? 'key' : 'keys'}`
}
