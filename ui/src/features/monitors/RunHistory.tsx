import { useEffect, useState, type HTMLAttributes } from 'react'
import { Alert, Table, Tag, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { durationText, outcomeColor, valueText } from './format'
import { useRunHistory } from './queries'
import { SampleView } from './SampleTable'
import { StateBadge } from './StateBadge'
import { AbsoluteTime } from '../../components/Time'
import type { RunResult } from './types'
import { QueryError } from '../../components/QueryError'
import { noWrapCell } from '../../components/noWrapCell'

const PAGE_SIZE = 20

// The time column is wide enough for a full time with its zone; the error column's ellipsis
// fixes the layout, so a narrower one would spill into the next.
const columns: TableColumnsType<RunResult> = [
  { title: 'Time', dataIndex: 'started_at', key: 'time', width: 215, onCell: noWrapCell, render: (at: string) => <AbsoluteTime at={at} /> },
  {
    title: 'Trigger',
    dataIndex: 'trigger',
    key: 'trigger',
    width: 100,
    render: (trigger: RunResult['trigger']) => (
      <Tag bordered={false} color={trigger === 'manual' ? 'purple' : undefined} style={{ marginInlineEnd: 0 }}>
        {trigger === 'manual' ? 'run now' : 'schedule'}
      </Tag>
    ),
  },
  {
    title: 'Outcome',
    dataIndex: 'outcome',
    key: 'outcome',
    width: 100,
    render: (outcome: RunResult['outcome']) => (
      <Tag color={outcomeColor(outcome)} style={{ marginInlineEnd: 0 }} data-testid="outcome-tag">
        {outcome}
      </Tag>
    ),
  },
  { title: 'State after', dataIndex: 'state', key: 'state', width: 110, render: (state: RunResult['state']) => <StateBadge state={state} /> },
  {
    title: 'Value',
    key: 'value',
    width: 120,
    render: (_: unknown, run) => {
      const text = valueText(run)
      return text == null ? <Typography.Text type="secondary">—</Typography.Text> : <Typography.Text strong>{text}</Typography.Text>
    },
  },
  {
    title: 'Duration',
    dataIndex: 'duration_ms',
    key: 'duration',
    width: 100,
    align: 'right',
    render: (ms: number) => <span style={{ whiteSpace: 'nowrap' }}>{durationText(ms)}</span>,
  },
  {
    title: 'Error',
    dataIndex: 'error',
    key: 'error',
    ellipsis: { showTitle: false },
    render: (error: string | null) =>
      error ? (
        <Tooltip title={error}>
          <Typography.Text type="danger">{error}</Typography.Text>
        </Tooltip>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      ),
  },
]

/** A run expanded: its error in full, and the sample it kept. */
function RunDetail({ run }: { run: RunResult }) {
  return (
    <div data-testid={`run-detail-${run.id}`} style={{ padding: '4px 0' }}>
      {run.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message="The check failed"
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{run.error}</span>}
        />
      )}
      <SampleView result={run} />
    </div>
  )
}

/** Every stored run, newest first; a row opens to show what the run saw. */
/** The runs, newest first. `lastRunAt` is the header's idea of the last run: a newer run
 * here (the scheduler's first run of a new monitor, say) means the header is behind,
 * and `onNewerRun` refreshes it, so both always tell the same state. */
export function RunHistory({
  monitorId,
  lastRunAt,
  onNewerRun,
}: {
  monitorId: number
  lastRunAt: string | null
  onNewerRun: () => void
}) {
  const [page, setPage] = useState(1)
  const runs = useRunHistory(monitorId, PAGE_SIZE, (page - 1) * PAGE_SIZE)
  const newest = page === 1 ? runs.data?.items[0]?.started_at : undefined
  useEffect(() => {
    if (newest && (!lastRunAt || Date.parse(newest) > Date.parse(lastRunAt))) onNewerRun()
  }, [newest, lastRunAt, onNewerRun])
  if (runs.isError) {
    return <QueryError query={runs} title="Cannot load the runs" />
  }
  return (
    <Table<RunResult>
      rowKey="id"
      size="small"
      data-testid="run-history"
      columns={columns}
      dataSource={runs.data?.items ?? []}
      loading={runs.isPending}
      scroll={{ x: 900 }}
      onRow={(run) => ({ 'data-testid': `run-row-${run.id}`, style: { cursor: 'pointer' } }) as HTMLAttributes<HTMLElement>}
      expandable={{ expandedRowRender: (run) => <RunDetail run={run} />, expandRowByClick: true }}
      locale={{ emptyText: runs.isPending ? ' ' : 'No runs yet.' }}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: runs.data?.total ?? 0,
        showSizeChanger: false,
        hideOnSinglePage: true,
        showTotal: (total) => `${total} run${total === 1 ? '' : 's'}`,
        onChange: setPage,
      }}
    />
  )
}
