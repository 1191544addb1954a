import { useState, type HTMLAttributes } from 'react'
import { Button, Card, Col, Flex, Row, Skeleton, Space, Switch, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { ArrowLeftOutlined } from '@ant-design/icons'
import { QueryError } from '../../components/QueryError'
import { noWrapCell } from '../../components/noWrapCell'
import { changeCounts, visibleDeltas } from './compare'
import { CHANGE_COLORS, CHANGE_LABELS, SPAN_STATUS_COLORS, deltaColor, formatDelta, formatMs } from './format'
import { KindIcon } from './KindIcon'
import { useComparison } from './queries'
import { RunHeader } from './RunHeader'
import type { SpanDelta, SpanSide } from './types'

/** How many compared spans one page of the table lists. */
const PAGE_SIZE = 100

function Side({ side }: { side: SpanSide | null }) {
  if (!side) return <Typography.Text type="secondary">absent</Typography.Text>
  return (
    <Space size={4}>
      {formatMs(side.duration_ms)}
      {side.status !== 'ok' && (
        <Tag color={SPAN_STATUS_COLORS[side.status]} style={{ marginInlineEnd: 0 }} title={side.error ?? undefined}>
          {side.status}
        </Tag>
      )}
    </Space>
  )
}

/** A span's delta in the colour of its change: timing noise ("same") stays plain. */
function SpanDeltaText({ span }: { span: SpanDelta }) {
  const type = span.change === 'slower' ? 'danger' : span.change === 'faster' ? 'success' : undefined
  return <Typography.Text type={type}>{formatDelta(span.delta_ms)}</Typography.Text>
}

const columns: TableColumnsType<SpanDelta> = [
  {
    title: 'Span',
    key: 'span',
    render: (_: unknown, span) => (
      <span style={{ paddingLeft: span.depth * 14, display: 'inline-flex', gap: 6, alignItems: 'center' }}>
        <KindIcon kind={span.kind} /> {span.name}
      </span>
    ),
  },
  { title: 'Base', key: 'base', onCell: noWrapCell, render: (_: unknown, span) => <Side side={span.base} /> },
  { title: 'Other', key: 'other', onCell: noWrapCell, render: (_: unknown, span) => <Side side={span.other} /> },
  { title: 'Delta', key: 'delta', onCell: noWrapCell, render: (_: unknown, span) => <SpanDeltaText span={span} /> },
  {
    title: 'Change',
    key: 'change',
    onCell: noWrapCell,
    render: (_: unknown, span) => (
      <Tag color={CHANGE_COLORS[span.change]} data-testid="debug-compare-change">
        {CHANGE_LABELS[span.change]}
      </Tag>
    ),
  },
]

interface Props {
  base: number
  other: number
  onClose: () => void
}

/** Two runs of one endpoint side by side: what got slower, what failed, what came back. */
export function CompareView({ base, other, onClose }: Props) {
  const comparison = useComparison(base, other)
  const [changedOnly, setChangedOnly] = useState(false)
  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={onClose} data-testid="debug-compare-close">
      Back to run #{base}
    </Button>
  )
  if (comparison.isPending) {
    return (
      <Card size="small" data-testid="debug-compare">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  }
  if (comparison.isError) {
    return (
      <Card size="small" data-testid="debug-compare">
        {back}
        <QueryError style={{ marginTop: 16 }} query={comparison} title="Cannot compare the runs" />
      </Card>
    )
  }
  const data = comparison.data
  const rows = visibleDeltas(data.spans, changedOnly)
  return (
    <Card size="small" data-testid="debug-compare">
      <Flex gap={12} align="center" wrap style={{ marginBottom: 16 }}>
        {back}
        <Typography.Title level={5} style={{ margin: 0 }}>
          What changed from run #{data.base.id} to run #{data.other.id}
        </Typography.Title>
      </Flex>
      <Row gutter={[24, 16]}>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>Base: run #{data.base.id}</Typography.Title>
          <RunHeader run={data.base} testId="debug-compare-base-status" />
        </Col>
        <Col xs={24} xl={12}>
          <Typography.Title level={5}>Other: run #{data.other.id}</Typography.Title>
          <RunHeader run={data.other} testId="debug-compare-other-status" />
        </Col>
      </Row>
      <Flex gap={12} align="center" wrap style={{ margin: '16px 0' }}>
        <Typography.Text strong>
          Total time <Typography.Text type={deltaColor(data.duration_delta_ms)}>{formatDelta(data.duration_delta_ms)}</Typography.Text>
        </Typography.Text>
        <Space size={[4, 4]} wrap data-testid="debug-compare-counts">
          {changeCounts(data.counts).map(({ change, count }) => (
            <Tag key={change} color={CHANGE_COLORS[change]} style={{ marginInlineEnd: 0 }}>
              {count} {CHANGE_LABELS[change]}
            </Tag>
          ))}
        </Space>
        <Space size={6} style={{ marginLeft: 'auto' }}>
          <Switch size="small" checked={changedOnly} onChange={setChangedOnly} data-testid="debug-compare-changed-only" />
          <span>Only what changed</span>
        </Space>
      </Flex>
      <Table<SpanDelta>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        scroll={{ x: 'max-content' }}
        pagination={rows.length > PAGE_SIZE ? { pageSize: PAGE_SIZE, showSizeChanger: false } : false}
        onRow={(span) => ({ 'data-testid': `debug-compare-row-${span.key}`, 'data-change': span.change }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: changedOnly ? 'No span changed.' : 'Neither run has spans.' }}
      />
    </Card>
  )
}
