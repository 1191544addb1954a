import { Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { useWorkerPools, type BackendRef } from './queries'
import type { WorkerPool } from './types'

type Busy = WorkerPool['busy'][number]

const poolColumns: TableColumnsType<WorkerPool> = [
  {
    title: 'Pool',
    key: 'id',
    render: (_: unknown, pool) => (
      <div>
        <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
          {pool.host ?? pool.id}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, overflowWrap: 'anywhere' }}>
          {pool.id}
          {pool.pid !== null && ` · pid ${pool.pid}`}
        </Typography.Text>
        {pool.labels.map((label) => (
          <Tag key={label} style={{ marginTop: 4 }} data-testid="pool-label">
            {label}
          </Tag>
        ))}
      </div>
    ),
  },
  {
    title: 'Busy',
    key: 'busy',
    onCell: noWrapCell,
    render: (_: unknown, pool) => `${pool.busy_count} of ${pool.concurrency ?? '?'}`,
  },
  {
    title: 'Works on',
    key: 'jobs',
    render: (_: unknown, pool) => pool.job_names.map((name) => <Tag key={name}>{name}</Tag>),
  },
  { title: 'Started', key: 'started', onCell: noWrapCell, render: (_: unknown, pool) => <RelativeTime at={pool.started_at} /> },
  {
    title: 'Heartbeat',
    key: 'heartbeat',
    onCell: noWrapCell,
    render: (_: unknown, pool) => (
      <>
        <RelativeTime at={pool.heartbeat_at} empty="none" />
        {pool.stale && (
          <Tag color="red" style={{ marginInlineStart: 8 }} data-testid="pool-stale">
            stale
          </Tag>
        )}
        {pool.quiet && <Tag color="gold">stopping</Tag>}
      </>
    ),
  },
]

const busyColumns: TableColumnsType<Busy> = [
  { title: 'Worker', dataIndex: 'worker', key: 'worker', onCell: noWrapCell },
  { title: 'Job', key: 'job', render: (_: unknown, busy) => <Typography.Text strong>{busy.job ?? '?'}</Typography.Text> },
  { title: 'Job id', dataIndex: 'job_id', key: 'job_id', render: (id: string | null) => id ?? '—' },
  {
    title: 'Arguments',
    key: 'args',
    render: (_: unknown, busy) => <span style={{ fontFamily: 'monospace', fontSize: 12, overflowWrap: 'anywhere' }}>{busy.args_preview}</span>,
  },
  { title: 'Running since', key: 'since', onCell: noWrapCell, render: (_: unknown, busy) => <RelativeTime at={busy.running_since} /> },
]

/** Taken by the pool but not started: the same columns but a start time. */
const reservedColumns = busyColumns.filter((column) => column.key !== 'since')

const busyKey = (busy: Busy) => `${busy.worker}·${busy.job_id ?? ''}`

function PoolJobs({ pool }: { pool: WorkerPool }) {
  return (
    <>
      {pool.busy.length > 0 && <Table<Busy> rowKey={busyKey} size="small" columns={busyColumns} dataSource={pool.busy} pagination={false} data-testid="busy-workers" />}
      {pool.reserved.length > 0 && (
        <Table<Busy>
          rowKey={busyKey}
          size="small"
          title={() => `Reserved: taken by this pool, not started (${pool.reserved.length})`}
          columns={reservedColumns}
          dataSource={pool.reserved}
          pagination={false}
          data-testid="reserved-jobs"
        />
      )}
    </>
  )
}

/** The processes working the backend's jobs, and what each busy worker runs now. */
export function WorkerPools({ backend, refresh }: { backend: BackendRef; refresh: boolean }) {
  const pools = useWorkerPools(backend, refresh)
  if (pools.isError) return <QueryError query={pools} title="Cannot load the worker pools" />
  return (
    <Table<WorkerPool>
      rowKey="id"
      size="small"
      columns={poolColumns}
      dataSource={pools.data ?? []}
      loading={pools.isPending}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="worker-pools"
      expandable={{
        rowExpandable: (pool) => pool.busy.length + pool.reserved.length > 0,
        defaultExpandAllRows: true,
        expandedRowRender: (pool) => <PoolJobs pool={pool} />,
      }}
      locale={{ emptyText: pools.isPending ? ' ' : 'No worker pool is running: nothing works this backend’s jobs now.' }}
    />
  )
}
