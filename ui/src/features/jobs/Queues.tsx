import { Button, Flex, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { useState } from 'react'
import { QueryError } from '../../components/QueryError'
import { noWrapCell } from '../../components/noWrapCell'
import { count, duration } from './format'
import { JobList } from './JobList'
import { useQueues, type BackendRef } from './queries'
import type { JobAction, QueueInfo } from './types'

interface Props {
  backend: BackendRef
  actions: JobAction[]
  canWrite: boolean
  refresh: boolean
}

/** The queues with size and latency; open one to page through what waits in it. */
export function Queues({ backend, actions, canWrite, refresh }: Props) {
  const queues = useQueues(backend, refresh)
  const [open, setOpen] = useState<string | null>(null)
  const columns: TableColumnsType<QueueInfo> = [
    {
      title: 'Queue',
      key: 'name',
      render: (_: unknown, queue) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(queue.name)} data-testid={`queue-${queue.name}`}>
          {queue.name}
        </Button>
      ),
    },
    { title: 'Size', key: 'size', onCell: noWrapCell, render: (_: unknown, queue) => count(queue.size) },
    { title: 'Latency', key: 'latency', onCell: noWrapCell, render: (_: unknown, queue) => duration(queue.latency_seconds) },
    {
      title: 'State',
      key: 'paused',
      onCell: noWrapCell,
      render: (_: unknown, queue) =>
        queue.paused === null ? <Typography.Text type="secondary">—</Typography.Text> : queue.paused ? <Tag color="gold">paused</Tag> : <Tag color="green">running</Tag>,
    },
  ]
  if (queues.isError) return <QueryError query={queues} title="Cannot load the queues" />
  return (
    <Flex vertical gap={16}>
      <Table<QueueInfo>
        rowKey="name"
        size="small"
        columns={columns}
        dataSource={queues.data ?? []}
        loading={queues.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: queues.isPending ? ' ' : 'No queue has been used yet.' }}
      />
      {open !== null && (
        <div data-testid="queue-jobs">
          <Typography.Title level={5}>Waiting in {open}, next to run first</Typography.Title>
          <JobList key={open} backend={backend} place={{ queue: open }} actions={actions} canWrite={canWrite} refresh={refresh} />
        </div>
      )}
    </Flex>
  )
}
