import { Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { usePeriodic, type BackendRef } from './queries'
import type { PeriodicJob } from './types'

const columns: TableColumnsType<PeriodicJob> = [
  { title: 'Name', key: 'name', render: (_: unknown, job) => <Typography.Text strong>{job.name}</Typography.Text> },
  { title: 'Job', dataIndex: 'job', key: 'job' },
  { title: 'Schedule', key: 'schedule', onCell: noWrapCell, render: (_: unknown, job) => <Typography.Text code>{job.schedule}</Typography.Text> },
  { title: 'Next run', key: 'next', onCell: noWrapCell, render: (_: unknown, job) => <RelativeTime at={job.next_run_at} /> },
  { title: 'Last enqueued', key: 'last', onCell: noWrapCell, render: (_: unknown, job) => <RelativeTime at={job.last_enqueued_at} /> },
  { title: 'State', key: 'enabled', onCell: noWrapCell, render: (_: unknown, job) => (job.enabled ? <Tag color="green">enabled</Tag> : <Tag>disabled</Tag>) },
]

export function Periodic({ backend, refresh, why }: { backend: BackendRef; refresh: boolean; why: string }) {
  const periodic = usePeriodic(backend, refresh)
  if (periodic.isError) return <QueryError query={periodic} title="Cannot load the periodic jobs" />
  return (
    <Table<PeriodicJob>
      rowKey="name"
      size="small"
      columns={columns}
      dataSource={periodic.data ?? []}
      loading={periodic.isPending}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: periodic.isPending ? ' ' : `No periodic jobs. ${why}` }}
    />
  )
}
