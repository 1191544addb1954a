import { Descriptions, Drawer, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { useNarrow } from '../../components/useNarrow'
import { KIND_LABELS, MONO, SPAN_STATUS_COLORS, formatMs } from './format'
import { KindIcon } from './KindIcon'
import type { Span } from './types'

type Attribute = [name: string, value: Span['attributes'][string]]

const attributeColumns: TableColumnsType<Attribute> = [
  { title: 'Attribute', key: 'name', render: (_: unknown, [name]) => <Typography.Text style={{ fontFamily: MONO, fontSize: 12 }}>{name}</Typography.Text> },
  {
    title: 'Value',
    key: 'value',
    render: (_: unknown, [, value]) =>
      value === null ? (
        <Typography.Text type="secondary">null</Typography.Text>
      ) : (
        <Typography.Text style={{ fontFamily: MONO, fontSize: 12, whiteSpace: 'pre-wrap' }} copyable={typeof value === 'string' && value.length > 40}>
          {String(value)}
        </Typography.Text>
      ),
  },
]

/** Its own time; for a span with calls, said apart from them. */
function selfTime(span: Span): string {
  const calls = span.children.length
  return calls ? `${formatMs(span.self_ms)}, apart from its ${calls} ${calls === 1 ? 'call' : 'calls'}` : formatMs(span.self_ms)
}

function yesNo(value: boolean) {
  return value ? 'yes' : 'no'
}

/** Everything a span says: where it went, how long it took, what went wrong, its attributes. */
export function SpanDetails({ span, onClose }: { span: Span | null; onClose: () => void }) {
  const narrow = useNarrow()
  return (
    <Drawer
      open={span !== null}
      onClose={onClose}
      width={narrow ? '100%' : 560}
      title={span ? span.name : 'Span'}
      destroyOnHidden
    >
      {span && (
        <div data-testid="span-details">
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'kind', label: 'Kind', children: <><KindIcon kind={span.kind} /> {KIND_LABELS[span.kind]}</> },
              { key: 'target', label: 'Target', children: span.target ? <Typography.Text style={{ fontFamily: MONO, fontSize: 12, overflowWrap: 'anywhere' }}>{span.target}</Typography.Text> : '—' },
              { key: 'status', label: 'Status', children: <Tag color={SPAN_STATUS_COLORS[span.status]} data-testid="span-status">{span.status}</Tag> },
              ...(span.error
                ? [{ key: 'error', label: 'Error', children: <Typography.Text type="danger" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{span.error}</Typography.Text> }]
                : []),
              { key: 'start', label: 'Start', children: `${formatMs(span.start_ms)} after the trace began` },
              { key: 'duration', label: 'Duration', children: formatMs(span.duration_ms) },
              { key: 'self', label: 'Self time', children: selfTime(span) },
              { key: 'critical', label: 'Critical path', children: yesNo(span.critical) },
              { key: 'slowest', label: 'Among the slowest', children: yesNo(span.slowest) },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            Attributes
          </Typography.Title>
          <Table<Attribute>
            size="small"
            rowKey={([name]) => name}
            columns={attributeColumns}
            dataSource={Object.entries(span.attributes)}
            pagination={false}
            locale={{ emptyText: 'No attributes.' }}
          />
        </div>
      )}
    </Drawer>
  )
}
