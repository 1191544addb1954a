import { Table, Tag, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { Link } from 'react-router'
import { noWrapCell } from '../../components/noWrapCell'
import { CountTag } from './CountTag'
import { NOT_NARROW, count, jobsPath } from './format'
import type { BackendOverview } from './types'

function Muted({ children }: { children: string }) {
  return <Typography.Text type="secondary">{children}</Typography.Text>
}

const columns: TableColumnsType<BackendOverview> = [
  {
    title: 'Backend',
    key: 'name',
    render: (_: unknown, backend) => (
      <Link to={jobsPath(backend.service, backend.id)} data-testid={`jobs-backend-${backend.id}`}>
        <Typography.Text strong style={{ color: 'inherit' }}>
          {backend.name}
        </Typography.Text>
      </Link>
    ),
  },
  { title: 'System', key: 'type', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, backend) => <Tag color="purple">{backend.label}</Tag> },
  {
    title: 'State',
    key: 'state',
    render: (_: unknown, backend) =>
      backend.ok ? (
        <Tag color="green">answering</Tag>
      ) : (
        <Tooltip title={backend.message}>
          <Tag color="volcano" data-testid={`jobs-backend-failed-${backend.id}`}>
            not answering
          </Tag>
          <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
            {backend.message}
          </Typography.Text>
        </Tooltip>
      ),
  },
  { title: 'Workers busy', key: 'busy', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, b) => (b.ok ? `${count(b.counts.busy)} in ${count(b.counts.worker_pools)} pools` : <Muted>—</Muted>) },
  { title: 'Enqueued', key: 'enqueued', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, b) => <Muted>{count(b.counts.enqueued)}</Muted> },
  { title: 'Scheduled', key: 'scheduled', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, b) => <Muted>{count(b.counts.scheduled)}</Muted> },
  { title: 'Retry', key: 'retry', onCell: noWrapCell, render: (_: unknown, b) => <CountTag value={b.counts.retry} kind="retry" /> },
  { title: 'Dead', key: 'dead', onCell: noWrapCell, render: (_: unknown, b) => <CountTag value={b.counts.dead} kind="dead" /> },
]

/** A service's job backends with their live counts, each linking to its views. */
export function BackendTable({ backends, loading, empty }: { backends: BackendOverview[]; loading: boolean; empty: React.ReactNode }) {
  return (
    <Table<BackendOverview>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={backends}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: loading ? ' ' : empty }}
    />
  )
}
