import { Empty, Space, Tag, theme, Tooltip, Typography } from 'antd'
import type { AuditChange, AuditRecord } from '../../api/types'
import { actionColor, actorKindColor, compactJson, jsonLines, markOf, type Mark, type Side } from './format'

export function ActionTag({ action }: { action: string }) {
  return (
    <Tag color={actionColor(action)} style={{ marginInlineEnd: 0, fontFamily: 'monospace' }} data-testid="action-tag">
      {action}
    </Tag>
  )
}

/** Who acted: their name, and a tag saying whether as a user, with a token, as the system... */
export function Actor({ record }: { record: Pick<AuditRecord, 'actor_kind' | 'actor_name'> }) {
  return (
    <Space size={6} wrap={false}>
      <Tag color={actorKindColor(record.actor_kind)} style={{ marginInlineEnd: 0 }} data-testid="actor-kind">
        {record.actor_kind}
      </Tag>
      <span>{record.actor_name || <Typography.Text type="secondary">—</Typography.Text>}</span>
    </Space>
  )
}

/** A JSON value on one line (cut when long; the whole value in the tooltip). */
export function JsonValue({ value }: { value: unknown }) {
  if (value === undefined) return <Typography.Text type="secondary">—</Typography.Text>
  const short = compactJson(value)
  const full = compactJson(value, 4000)
  const code = (
    <Typography.Text code style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
      {short}
    </Typography.Text>
  )
  return short === full ? code : <Tooltip title={<pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(value, null, 2)}</pre>}>{code}</Tooltip>
}

const MARK_LABEL: Record<Exclude<Mark, null>, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  inside: 'changed inside',
}

/**
 * A snapshot pretty-printed as JSON, one line per value, with the lines of the changed
 * paths highlighted (added green, removed red, changed gold; a parent of a change gets a
 * bar in the margin).
 */
export function SnapshotView({
  snapshot,
  changes,
  side,
  testId,
  emptyText,
}: {
  snapshot: Record<string, unknown> | null
  changes: readonly AuditChange[]
  side: Side
  testId: string
  emptyText: string
}) {
  const { token } = theme.useToken()
  if (!snapshot) {
    return (
      <div data-testid={testId} data-empty="true">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
      </div>
    )
  }
  const background: Record<Exclude<Mark, null | 'inside'>, string> = {
    added: token.colorSuccessBg,
    removed: token.colorErrorBg,
    changed: token.colorWarningBg,
  }
  const bar: Record<Exclude<Mark, null>, string> = {
    added: token.colorSuccess,
    removed: token.colorError,
    changed: token.colorWarning,
    inside: token.colorWarningBorder,
  }
  return (
    <pre
      data-testid={testId}
      style={{
        margin: 0,
        padding: '8px 0',
        fontSize: 12,
        lineHeight: '20px',
        background: token.colorFillQuaternary,
        borderRadius: token.borderRadius,
        overflowX: 'auto',
      }}
    >
      {jsonLines(snapshot).map((line, index) => {
        const mark = markOf(line.path, changes, side)
        return (
          <div
            key={index}
            data-path={line.path}
            data-mark={mark ?? undefined}
            title={mark ? `${line.path}: ${MARK_LABEL[mark]}` : undefined}
            style={{
              paddingInline: `${8 + line.depth * 16}px 8px`,
              background: mark && mark !== 'inside' ? background[mark] : undefined,
              borderInlineStart: `3px solid ${mark ? bar[mark] : 'transparent'}`,
              whiteSpace: 'pre',
            }}
          >
            {line.key !== undefined && !line.closing && (
              <span style={{ color: token.colorPrimaryText }}>{JSON.stringify(line.key)}: </span>
            )}
            <span>{line.text}</span>
            {line.comma && ','}
          </div>
        )
      })}
    </pre>
  )
}
