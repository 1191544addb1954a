import { App, Button, Flex, Input, Space, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { SearchOutlined } from '@ant-design/icons'
import { useState } from 'react'
import { problemOf } from '../../api/errors'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { WriteAction } from '../../components/WriteAction'
import { noWrapCell } from '../../components/noWrapCell'
import { ACTION_LABELS, NEEDS_JOBS_WRITE, NOT_NARROW, TIME_TITLES, bulkOutcome, count } from './format'
import { JobDrawer } from './JobDrawer'
import { countMatches, useBulkAction, useEntries, type BackendRef } from './queries'
import type { EntryFilter, JobAction, JobSummary, Place } from './types'

const PAGE_SIZE = 25
const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12, overflowWrap: 'anywhere' as const }

function columns(place: Place): TableColumnsType<JobSummary> {
  const failing = 'set' in place && place.set !== 'scheduled'
  const timeTitle = 'set' in place ? TIME_TITLES[place.set] : 'Enqueued'
  return [
    {
      title: 'Job',
      key: 'name',
      render: (_: unknown, job) => (
        <Flex vertical>
          <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
            {job.name}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {job.id ?? job.queue ?? ''}
          </Typography.Text>
          {job.problem && (
            <Typography.Text type="warning" style={{ fontSize: 12 }}>
              {job.problem}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { title: 'Arguments', key: 'args', responsive: NOT_NARROW, render: (_: unknown, job) => <span style={mono}>{job.args_preview}</span> },
    ...(failing
      ? [
          {
            title: 'Error',
            key: 'error',
            render: (_: unknown, job: JobSummary) => (
              <span style={{ overflowWrap: 'anywhere' }} data-testid="job-row-error">
                {job.error_class && <Typography.Text strong>{job.error_class}: </Typography.Text>}
                {job.error_message ?? job.problem ?? '—'}
              </span>
            ),
          },
          { title: 'Fails', key: 'fails', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, job: JobSummary) => job.fails ?? '—' },
        ]
      : []),
    {
      title: timeTitle,
      key: 'at',
      onCell: noWrapCell,
      render: (_: unknown, job) => <RelativeTime at={job.at ?? job.enqueued_at} />,
    },
    ...('set' in place ? [{ title: 'Queue', key: 'queue', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, job: JobSummary) => job.queue ?? '—' }] : []),
  ]
}

interface Props {
  backend: BackendRef
  place: Place
  actions: JobAction[]
  canWrite: boolean
  refresh: boolean
}

/** A page of a set's or a queue's jobs, filtered on the server, with the job drawer and
 * the bulk actions. Positions page through the set in its own order. */
export function JobList({ backend, place, actions, canWrite, refresh }: Props) {
  const [draft, setDraft] = useState<EntryFilter>({})
  const [filter, setFilter] = useState<EntryFilter>({})
  const [starts, setStarts] = useState<number[]>([0])
  const [opened, setOpened] = useState<string | null>(null)
  const position = starts[starts.length - 1]
  const page = useEntries(backend, place, { ...filter, position, limit: PAGE_SIZE }, refresh && opened === null)
  const filtered = Boolean(filter.name || filter.q || filter.id)
  const apply = (next: EntryFilter) => {
    setFilter(next)
    setStarts([0])
  }
  const data = page.data
  const bulkActions = 'set' in place ? actions.filter((action) => action !== 'kill') : []
  return (
    <Flex vertical gap={12}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          apply(draft)
        }}
      >
        <Flex gap={8} wrap>
          <Input
            allowClear
            style={{ flex: '2 1 260px', maxWidth: 420 }}
            prefix={<SearchOutlined />}
            placeholder="Error or arguments, any case"
            value={draft.q}
            onChange={(event) => setDraft({ ...draft, q: event.target.value })}
            data-testid="jobs-filter-q"
          />
          <Input
            allowClear
            style={{ flex: '1 1 180px', maxWidth: 260 }}
            placeholder="Job name, exactly"
            value={draft.name}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
            data-testid="jobs-filter-name"
          />
          <Input
            allowClear
            style={{ flex: '1 1 180px', maxWidth: 260 }}
            placeholder="Job id"
            value={draft.id}
            onChange={(event) => setDraft({ ...draft, id: event.target.value })}
            data-testid="jobs-filter-id"
          />
          <Button htmlType="submit" type="primary" data-testid="jobs-filter-apply">
            Search
          </Button>
          {filtered && (
            <Button
              onClick={() => {
                setDraft({})
                apply({})
              }}
            >
              Clear
            </Button>
          )}
        </Flex>
      </form>
      {bulkActions.length > 0 && (data?.total ?? 0) > 0 && (
        <Flex gap={8} wrap justify="flex-end">
          {bulkActions.map((action) => (
            <BulkButton key={action} backend={backend} place={place} action={action} filter={filter} canWrite={canWrite} total={data?.total ?? 0} />
          ))}
        </Flex>
      )}
      {page.isError ? (
        <QueryError query={page} title="Cannot load the jobs" />
      ) : (
        <Table<JobSummary>
          rowKey="ref"
          size="small"
          columns={columns(place)}
          dataSource={data?.items ?? []}
          loading={page.isFetching && !data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(job) => ({ onClick: () => setOpened(job.ref), style: { cursor: 'pointer' }, 'data-testid': 'job-row' }) as object}
          locale={{ emptyText: page.isPending ? ' ' : filtered ? 'No job matches.' : 'No jobs here.' }}
        />
      )}
      {data && (
        <Flex justify="space-between" align="center" gap={8} wrap>
          <Typography.Text type="secondary" data-testid="jobs-page-summary">
            {data.filtered
              ? `${data.items.length} matching on this page · looked at ${count(data.position + data.scanned)} of ${count(data.total)}`
              : data.total === 0
                ? 'Empty'
                : `${count(position + 1)}–${count(position + data.items.length)} of ${count(data.total)}`}
            {!data.complete && ' · stopped at its time limit: go on for more'}
          </Typography.Text>
          <Space>
            <Button disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))} data-testid="jobs-page-previous">
              Previous
            </Button>
            <Button
              disabled={data.next_position === null}
              onClick={() => data.next_position !== null && setStarts([...starts, data.next_position])}
              data-testid="jobs-page-next"
            >
              {data.complete ? 'Next' : 'Go on'}
            </Button>
          </Space>
        </Flex>
      )}
      <JobDrawer backend={backend} place={place} jobRef={opened} actions={actions} canWrite={canWrite} onClose={() => setOpened(null)} />
    </Flex>
  )
}

interface BulkProps {
  backend: BackendRef
  place: Place
  action: JobAction
  filter: EntryFilter
  canWrite: boolean
  total: number
}

/** "Retry all matching…": counts the matches first and acts on that many, no more. */
function BulkButton({ backend, place, action, filter, canWrite, total }: BulkProps) {
  const { modal, message } = App.useApp()
  const set = 'set' in place ? place.set : 'dead'
  const bulk = useBulkAction(backend, set)
  const [counting, setCounting] = useState(false)
  const label = `${ACTION_LABELS[action].replace(' now', '')} all${filter.name || filter.q || filter.id ? ' matching' : ''}…`
  const confirm = async () => {
    setCounting(true)
    try {
      const counted = await countMatches(backend, set, filter)
      if (counted.count === 0) {
        message.info('No job matches.')
        return
      }
      modal.confirm({
        title: `${ACTION_LABELS[action].replace(' now', '')} ${count(counted.count)} jobs?`,
        content: counted.complete
          ? `${count(counted.count)} of the ${count(counted.total)} jobs in ${set} match. Jobs that match later are left alone.`
          : `At least ${count(counted.count)} jobs match (counted ${count(counted.scanned)} of ${count(counted.total)} before the time limit).`,
        okText: `${ACTION_LABELS[action].replace(' now', '')} ${count(counted.count)}`,
        okButtonProps: { danger: action === 'delete', ...{ 'data-testid': 'jobs-bulk-confirm' } },
        onOk: () =>
          bulk.mutateAsync({ ...filter, action, expected: counted.count }).then(
            (result) => (result.complete && !result.skipped ? message.success : message.warning)(bulkOutcome(result)),
            (error: unknown) => message.error(problemOf(error).detail ?? 'Not done'),
          ),
      })
    } catch (error) {
      message.error(problemOf(error).detail ?? 'Cannot count the jobs')
    } finally {
      setCounting(false)
    }
  }
  return (
    <WriteAction allowed={canWrite} reason={NEEDS_JOBS_WRITE}>
      <Button danger={action === 'delete'} loading={counting} disabled={total === 0} onClick={confirm} data-testid={`jobs-bulk-${action}`}>
        {label}
      </Button>
    </WriteAction>
  )
}
