import { Alert, App, Button, Card, Descriptions, Flex, InputNumber, Progress, Space, Tag, Tooltip, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { problemOf } from '../../api/errors'
import { RelativeTime } from '../../components/Time'
import { WriteAction } from '../../components/WriteAction'
import { BULK_STATE_COLORS, BULK_STATE_HINTS, canResume, isRunning, progressPercent, reachedMaximum, suggestedMaximum } from './bulk'
import { MONO, count } from './format'
import { CacheProblem } from './problems'
import { useBulkDelete, useCancelBulkDelete, useResumeBulkDelete } from './queries'
import type { BulkDelete, InstanceRef } from './types'
import type { WriteCheck } from './useCacheAccess'

export function BulkStateTag({ job }: { job: Pick<BulkDelete, 'state'> }) {
  return (
    <Tooltip title={BULK_STATE_HINTS[job.state]}>
      <Tag color={BULK_STATE_COLORS[job.state] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="bulk-state">
        {job.state}
      </Tag>
    </Tooltip>
  )
}

interface Props {
  instance: InstanceRef
  jobId: number
  write: WriteCheck
  onClose: () => void
}

/** One bulk delete as it runs (polled every second): deleted of the maximum, its state
 * and reason, and Cancel or Resume. */
export function BulkJobProgress({ instance, jobId, write, onClose }: Props) {
  const job = useBulkDelete(instance, jobId)
  const data = job.data
  return (
    <Card
      size="small"
      title={`Bulk delete #${jobId}`}
      extra={
        <Button size="small" type="text" onClick={onClose}>
          Close
        </Button>
      }
      data-testid="bulk-progress"
    >
      {job.isError ? (
        <CacheProblem error={job.error} title="Cannot read the bulk delete" retry={job.refetch} />
      ) : !data ? (
        <Progress percent={0} status="active" />
      ) : (
        <JobBody instance={instance} job={data} write={write} />
      )}
    </Card>
  )
}

function JobBody({ instance, job, write }: { instance: InstanceRef; job: BulkDelete; write: WriteCheck }) {
  const { message } = App.useApp()
  const cancel = useCancelBulkDelete(instance)
  const resume = useResumeBulkDelete(instance)
  const needsMore = reachedMaximum(job)
  const [maximum, setMaximum] = useState<number | null>(suggestedMaximum(job))
  useEffect(() => setMaximum(suggestedMaximum(job)), [job.id, job.max_keys, job.deleted])
  const refused = (error: unknown) => message.error(problemOf(error).detail ?? problemOf(error).title)
  const running = isRunning(job)
  return (
    <Flex vertical gap={12}>
      <Flex gap={12} align="center" wrap>
        <BulkStateTag job={job} />
        <Typography.Text data-testid="bulk-deleted">
          {count(job.deleted)} of at most {count(job.max_keys)} deleted
        </Typography.Text>
        <Typography.Text type="secondary">examined ~{count(job.examined)} keys</Typography.Text>
      </Flex>
      <Progress
        percent={progressPercent(job)}
        status={running ? 'active' : job.state === 'done' ? 'success' : job.state === 'partial' ? 'exception' : 'normal'}
        data-testid="bulk-progress-bar"
      />
      {job.reason && <Alert type={job.state === 'partial' ? 'warning' : 'info'} showIcon message={job.reason} data-testid="bulk-reason" />}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        items={[
          { key: 'pattern', label: 'Pattern', children: <Typography.Text code style={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>{job.pattern}</Typography.Text> },
          { key: 'by', label: 'Started by', children: job.created_by },
          { key: 'started', label: 'Started', children: <RelativeTime at={job.created_at} /> },
          { key: 'finished', label: 'Finished', children: <RelativeTime at={job.finished_at} empty={running ? 'still running' : '—'} /> },
        ]}
      />
      <Flex gap={8} wrap align="center">
        {running && (
          <WriteAction allowed={write.allowed} reason={write.reason} testId="bulk-cancel-needs-write">
            <Button danger loading={cancel.isPending} onClick={() => cancel.mutate(job.id, { onError: refused })} data-testid="bulk-cancel">
              Cancel
            </Button>
          </WriteAction>
        )}
        {canResume(job) && (
          <Space wrap>
            {needsMore && (
              <Space.Compact style={{ width: 250 }}>
                <Space.Addon>New maximum</Space.Addon>
                <InputNumber<number>
                  min={job.deleted + 1}
                  max={1_000_000_000_000}
                  precision={0}
                  value={maximum}
                  onChange={setMaximum}
                  aria-label="New maximum of keys"
                  style={{ width: '100%' }}
                  data-testid="bulk-resume-max"
                />
              </Space.Compact>
            )}
            <WriteAction allowed={write.allowed} reason={write.reason} testId="bulk-resume-needs-write">
              <Button
                type="primary"
                loading={resume.isPending}
                disabled={needsMore && (!maximum || maximum <= job.deleted)}
                onClick={() => resume.mutate({ jobId: job.id, maxKeys: needsMore ? maximum : null }, { onError: refused })}
                data-testid="bulk-resume"
              >
                Resume
              </Button>
            </WriteAction>
          </Space>
        )}
      </Flex>
    </Flex>
  )
}
