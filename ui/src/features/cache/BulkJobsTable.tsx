import { Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { RelativeTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { BulkStateTag } from './BulkJobProgress'
import { KeyName } from './cells'
import { NOT_NARROW, count } from './format'
import { CacheProblem } from './problems'
import { useBulkDeletes } from './queries'
import type { BulkDelete, InstanceRef } from './types'
import { useNarrow } from '../../components/useNarrow'

const columns = (prefix: string, narrow: boolean): TableColumnsType<BulkDelete> => [
  { title: 'Pattern', key: 'pattern', render: (_: unknown, job) => <KeyName name={job.pattern} binary={false} prefix={prefix} hidePrefix={narrow} /> },
  { title: 'State', key: 'state', onCell: noWrapCell, render: (_: unknown, job) => <BulkStateTag job={job} /> },
  { title: 'Deleted', key: 'deleted', align: 'right', onCell: noWrapCell, render: (_: unknown, job) => `${count(job.deleted)} / ${count(job.max_keys)}` },
  { title: 'By', key: 'by', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, job) => job.created_by },
  { title: 'Started', key: 'started', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, job) => <RelativeTime at={job.created_at} /> },
]

/** The instance's recent bulk deletes (the last 20); a click shows one's progress. */
export function BulkJobsTable({ instance, prefix, onOpen }: { instance: InstanceRef; prefix: string; onOpen: (job: BulkDelete) => void }) {
  const jobs = useBulkDeletes(instance)
  const narrow = useNarrow()
  if (jobs.isError) return <CacheProblem error={jobs.error} title="Cannot load the bulk deletes" retry={jobs.refetch} />
  return (
    <Table<BulkDelete>
      rowKey="id"
      size="small"
      columns={columns(prefix, narrow)}
      dataSource={jobs.data ?? []}
      loading={jobs.isPending}
      pagination={false}
      locale={{ emptyText: jobs.isPending ? ' ' : <Typography.Text type="secondary">No bulk delete on this instance yet.</Typography.Text> }}
      onRow={(job) => ({ onClick: () => onOpen(job), style: { cursor: 'pointer' }, 'data-testid': 'bulk-job-row' }) as object}
      data-testid="bulk-jobs"
    />
  )
}
