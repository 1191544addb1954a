import { Tag, Tooltip, Typography } from 'antd'
import { formatAbsolute, formatUtc } from '../../components/time'
import { MONO, SIZE_BY_LENGTH_HINT, TYPE_COLORS, sizeLabel } from './format'
import { formatTtl, remainingMs, toBrowserTime } from './ttl'
import type { KeyInfo } from './types'
import { useNow } from './useNow'

/** A key's type as a colored tag, the same color everywhere (table, drawer, charts). */
export function TypeTag({ type }: { type: string }) {
  return (
    <Tag color={TYPE_COLORS[type] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="key-type">
      {type}
    </Tag>
  )
}

interface KeyNameProps {
  name: string
  binary: boolean
  /** The instance's key prefix, shown dimmed: every key has it, the rest tells them apart. */
  prefix?: string
  /** Leave the prefix out (a phone's narrow column), the full name in the tooltip. */
  hidePrefix?: boolean
  strong?: boolean
}

/** A key's name in monospace, binary ones marked (their bytes shown escaped, \xNN). */
export function KeyName({ name, binary, prefix = '', hidePrefix = false, strong = false }: KeyNameProps) {
  const dimmed = prefix && name.startsWith(prefix) && name.length > prefix.length ? prefix : ''
  return (
    <span style={{ fontFamily: MONO, fontSize: 12, overflowWrap: 'anywhere', fontWeight: strong ? 600 : undefined }} title={hidePrefix && dimmed ? name : undefined}>
      {binary && (
        <Tooltip title="Not printable UTF-8: the bytes that are not are shown as \xNN">
          <Tag color="gold" style={{ marginInlineEnd: 6, fontFamily: 'inherit' }}>
            binary
          </Tag>
        </Tooltip>
      )}
      {dimmed && !hidePrefix && <span style={{ color: 'rgba(0,0,0,0.45)' }}>{dimmed}</span>}
      {name.slice(dimmed.length)}
    </span>
  )
}

interface Expiring {
  expires_at: number | null
  /** The server's clock minus the browser's when the key was read. */
  clockOffsetMs: number
}

/** The TTL left, counting down every second on the server's clock. */
export function TtlText({ expires_at, clockOffsetMs, testId = 'key-ttl' }: Expiring & { testId?: string }) {
  const now = useNow()
  const left = remainingMs(expires_at, clockOffsetMs, now)
  if (left === null) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        no expiry
      </Typography.Text>
    )
  }
  return (
    <Typography.Text type={left === 0 ? 'danger' : undefined} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} data-testid={testId}>
      {formatTtl(left)}
    </Typography.Text>
  )
}

/** When the key expires, in the browser's time and zone (UTC in the tooltip). */
export function ExpiresAt({ expires_at, clockOffsetMs }: Expiring) {
  if (expires_at === null) return <Typography.Text type="secondary">—</Typography.Text>
  const at = toBrowserTime(expires_at, clockOffsetMs)
  return (
    <Tooltip title={`${formatUtc(at)} (the Redis server's clock, placed on yours)`}>
      <time dateTime={at.toISOString()} style={{ whiteSpace: 'nowrap' }}>
        {formatAbsolute(at)}
      </time>
    </Tooltip>
  )
}

/** Memory of a key, or its length marked as such when MEMORY USAGE is refused. */
export function SizeText({ size, size_source }: Pick<KeyInfo, 'size' | 'size_source'>) {
  const label = sizeLabel({ size, size_source })
  if (size_source !== 'length') {
    return (
      <span style={{ whiteSpace: 'nowrap' }} title={size === null ? undefined : `${size.toLocaleString('en-US')} bytes`}>
        {label}
      </span>
    )
  }
  return (
    <Tooltip title={SIZE_BY_LENGTH_HINT}>
      <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }} data-testid="size-by-length">
        {label}
      </Typography.Text>
    </Tooltip>
  )
}
