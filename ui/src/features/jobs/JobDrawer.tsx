import { Alert, App, Button, Descriptions, Drawer, Flex, Skeleton, Typography } from 'antd'
import { problemOf } from '../../api/errors'
import { ErrorAlert } from '../../components/ErrorAlert'
import { RelativeTime } from '../../components/Time'
import { WriteAction } from '../../components/WriteAction'
import { ACTION_LABELS, ACTION_WARNINGS, NEEDS_JOBS_WRITE, TIME_TITLES, actionOutcome, prettyJson } from './format'
import { useJob, useJobAction, type BackendRef } from './queries'
import type { JobAction, JobDetail, Place } from './types'

interface Props {
  backend: BackendRef
  place: Place
  jobRef: string | null
  actions: JobAction[]
  canWrite: boolean
  onClose: () => void
}

const preStyle = {
  maxHeight: 360,
  overflow: 'auto',
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 6,
  padding: 12,
  margin: 0,
  fontSize: 12,
  whiteSpace: 'pre-wrap' as const,
  overflowWrap: 'anywhere' as const,
}

/** One job in full: its arguments, error and backtrace, and what may be done to it. */
export function JobDrawer({ backend, place, jobRef, actions, canWrite, onClose }: Props) {
  const job = useJob(backend, place, jobRef)
  const act = useJobAction(backend, place)
  const { message, modal } = App.useApp()
  const perform = (action: JobAction) => {
    if (!jobRef) return
    act.mutate(
      { jobRef, action },
      {
        onSuccess: (result) => {
          message.success(actionOutcome(action, result))
          onClose()
        },
      },
    )
  }
  const run = (action: JobAction) => {
    const warning = ACTION_WARNINGS[action]
    if (!warning) return perform(action)
    modal.confirm({
      title: `${ACTION_LABELS[action]} ${job.data?.name ?? 'this job'}?`,
      content: warning,
      okText: ACTION_LABELS[action],
      okButtonProps: { danger: true, ...{ 'data-testid': 'job-action-confirm' } },
      onOk: () => perform(action),
    })
  }
  return (
    <Drawer
      open={jobRef !== null}
      onClose={onClose}
      width="min(720px, 100vw)"
      title={job.data ? job.data.name : 'Job'}
      destroyOnHidden
      data-testid="job-drawer"
      extra={
        <Flex gap={8} wrap>
          {actions.map((action) => (
            <WriteAction key={action} allowed={canWrite} reason={NEEDS_JOBS_WRITE} testId={`job-action-${action}-needs-write`}>
              <Button
                danger={action === 'delete' || action === 'kill'}
                type={action === 'retry' || action === 'run' ? 'primary' : 'default'}
                loading={act.isPending && act.variables?.action === action}
                disabled={!job.data}
                onClick={() => run(action)}
                data-testid={`job-action-${action}`}
              >
                {ACTION_LABELS[action]}
              </Button>
            </WriteAction>
          ))}
        </Flex>
      }
    >
      {act.isError && <ErrorAlert error={act.error} title="Not done" style={{ marginBottom: 16 }} testId="job-action-error" />}
      {job.isError ? (
        problemOf(job.error).status === 409 ? (
          <Alert type="info" showIcon message="This job is not here any more" description={problemOf(job.error).detail} data-testid="job-gone" />
        ) : (
          <ErrorAlert error={job.error} title="Cannot load the job" />
        )
      ) : job.data ? (
        <JobBody job={job.data} timeTitle={'set' in place ? TIME_TITLES[place.set] : 'Enqueued'} />
      ) : (
        <Skeleton active />
      )}
    </Drawer>
  )
}

function When({ at }: { at: string | null | undefined }) {
  return <RelativeTime at={at} />
}

function JobBody({ job, timeTitle }: { job: JobDetail; timeTitle: string }) {
  return (
    <Flex vertical gap={16}>
      {job.problem && <Alert type="warning" showIcon message="The stored payload is damaged" description={job.problem} />}
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }} bordered>
        <Descriptions.Item label="Job id">
          <Typography.Text copyable={Boolean(job.id)} code>
            {job.id ?? '—'}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="Queue">{job.queue ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="Created"><When at={job.created_at} /></Descriptions.Item>
        <Descriptions.Item label="Enqueued"><When at={job.enqueued_at} /></Descriptions.Item>
        <Descriptions.Item label="Failed"><When at={job.failed_at} /></Descriptions.Item>
        <Descriptions.Item label="Retried"><When at={job.retried_at} /></Descriptions.Item>
        <Descriptions.Item label="Failures">{job.fails ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={timeTitle}><When at={job.at} /></Descriptions.Item>
      </Descriptions>
      {(job.error_class || job.error_message) && (
        <Alert
          type="error"
          message={job.error_class ?? 'Error'}
          description={<span style={{ overflowWrap: 'anywhere' }}>{job.error_message}</span>}
          data-testid="job-error"
        />
      )}
      <section>
        <Typography.Title level={5}>Arguments</Typography.Title>
        {job.args_cut && <Typography.Paragraph type="secondary">Too big to show whole; the start:</Typography.Paragraph>}
        <pre style={preStyle} data-testid="job-args">
          {job.args_cut ? job.args_preview : prettyJson(job.args)}
        </pre>
      </section>
      {job.backtrace && job.backtrace.length > 0 && (
        <section>
          <Typography.Title level={5}>Backtrace{job.backtrace_cut ? ' (cut)' : ''}</Typography.Title>
          <pre style={preStyle} data-testid="job-backtrace">
            {job.backtrace.join('\n')}
          </pre>
        </section>
      )}
      <section>
        <Typography.Title level={5}>Stored payload{job.payload_cut ? ' (cut)' : ''}</Typography.Title>
        <pre style={preStyle} data-testid="job-payload">
          {job.payload}
        </pre>
      </section>
    </Flex>
  )
}
