import { useState } from 'react'
import { Button, Flex, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { SwapOutlined } from '@ant-design/icons'
import { QueryError } from '../../components/QueryError'
import { AbsoluteTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { comparedPair } from './compare'
import { NOT_NARROW, formatMs } from './format'
import { useRunHistory, type EndpointRef } from './queries'
import { RunStatusTag } from './RunStatusTag'
import type { RunSummary } from './types'

const columns: TableColumnsType<RunSummary> = [
  {
    title: 'Run',
    key: 'run',
    onCell: noWrapCell,
    render: (_: unknown, run) => (
      <>
        <Typography.Link>#{run.id}</Typography.Link> <AbsoluteTime at={run.started_at} />
      </>
    ),
  },
  { title: 'Status', key: 'status', onCell: noWrapCell, render: (_: unknown, run) => <RunStatusTag run={run} /> },
  { title: 'HTTP', dataIndex: 'http_status', key: 'http', onCell: noWrapCell, render: (status: number | null) => status ?? '—' },
  { title: 'Time', key: 'time', onCell: noWrapCell, render: (_: unknown, run) => formatMs(run.duration_ms) },
  { title: 'Spans', key: 'spans', onCell: noWrapCell, responsive: NOT_NARROW, render: (_: unknown, run) => (run.failed_spans ? `${run.failed_spans} / ${run.span_count} failed` : run.span_count) },
  { title: 'By', dataIndex: 'actor', key: 'actor', responsive: NOT_NARROW },
  { title: 'Message', dataIndex: 'message', key: 'message', responsive: ['lg'] },
]

interface Props {
  endpoint: EndpointRef
  shownRun: number | null
  onOpen: (runId: number) => void
  onCompare: (base: number, other: number) => void
}

/** The endpoint's runs, newest first: open one, or tick two and compare them. */
export function RunHistory({ endpoint, shownRun, onOpen, onCompare }: Props) {
  const history = useRunHistory(endpoint)
  const [picked, setPicked] = useState<number[]>([])
  const runs = history.data?.pages.flatMap((page) => page.items) ?? []
  if (history.isError) return <QueryError query={history} title="Cannot load the runs" />
  return (
    <div data-testid="debug-history">
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">Open a run to see it; tick two to see what changed between them.</Typography.Text>
        <Button
          icon={<SwapOutlined />}
          disabled={picked.length !== 2}
          onClick={() => {
            const { base, other } = comparedPair(picked[0], picked[1])
            onCompare(base, other)
          }}
          data-testid="debug-compare-button"
        >
          Compare {picked.length === 2 ? `#${Math.min(...picked)} and #${Math.max(...picked)}` : 'two runs'}
        </Button>
      </Flex>
      <Table<RunSummary>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={runs}
        loading={history.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowSelection={{
          selectedRowKeys: picked,
          // Ticking a third keeps the last two: a comparison has two sides.
          onChange: (keys) => setPicked(keys.map(Number).slice(-2)),
          hideSelectAll: true,
          columnWidth: 32,
          renderCell: (_checked, run, _index, node) => <span data-testid={`debug-history-pick-${run.id}`}>{node}</span>,
        }}
        onRow={(run) => ({
          onClick: (event) => {
            // A click on the tick box picks the run; anywhere else opens it.
            if ((event.target as HTMLElement).closest('.ant-table-selection-column')) return
            onOpen(run.id)
          },
          style: { cursor: 'pointer', ...(run.id === shownRun ? { background: '#e6f4ff' } : {}) },
          'data-testid': `debug-history-run-${run.id}`,
        })}
        locale={{ emptyText: history.isPending ? ' ' : 'No run yet.' }}
      />
      {history.hasNextPage && (
        <Button style={{ marginTop: 8 }} loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()} data-testid="debug-history-older">
          Older runs
        </Button>
      )}
    </div>
  )
}
