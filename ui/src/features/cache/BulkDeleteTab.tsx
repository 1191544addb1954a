import { DeleteOutlined, ExperimentOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Flex, Input, List, Space, Spin, Typography } from 'antd'
import { useState, type ReactNode } from 'react'
import { WriteAction } from '../../components/WriteAction'
import { BulkConfirmModal } from './BulkConfirmModal'
import { BulkJobProgress } from './BulkJobProgress'
import { BulkJobsTable } from './BulkJobsTable'
import { KeyName } from './cells'
import { MONO, count, fullPattern, keysCount } from './format'
import { PatternHelp } from './PatternHelp'
import { CacheProblem, PartialAlert } from './problems'
import { useStartBulkDelete } from './queries'
import type { InstanceRef, InstanceSummary } from './types'
import type { WriteCheck } from './useCacheAccess'
import { useDryRun, type DryRunState } from './useDryRun'

interface Props {
  instance: InstanceSummary
  write: WriteCheck
}

/** Deleting every key of a pattern: a dry run counts them first, the confirm step names
 * how many and caps the job there, and a background job deletes them while this page
 * watches. */
export function BulkDeleteTab({ instance, write }: Props) {
  const ref: InstanceRef = { service: instance.service, instanceId: instance.id }
  const [pattern, setPattern] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [watched, setWatched] = useState<number | null>(null)
  const dryRun = useDryRun(ref)
  const start = useStartBulkDelete(ref)
  const counted = dryRun.pattern !== null && !dryRun.running && dryRun.error == null
  return (
    <Flex vertical gap={16} data-testid="bulk-tab">
      {!write.allowed && <Alert type="info" showIcon message={`${write.reason}: you can count the keys a pattern matches, not delete them.`} data-testid="bulk-not-allowed" />}
      <form
        onSubmit={(event) => {
          event.preventDefault()
          start.reset()
          void dryRun.start(pattern.trim())
        }}
      >
        <Flex gap={8} wrap align="center">
          <Input
            style={{ flex: '3 1 260px', fontFamily: MONO }}
            prefix={instance.key_prefix ? <span style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{instance.key_prefix}</span> : undefined}
            suffix={<PatternHelp prefix={instance.key_prefix} />}
            placeholder="session:*"
            aria-label="Pattern of the keys to delete"
            value={pattern}
            onChange={(event) => setPattern(event.target.value)}
            data-testid="bulk-pattern"
          />
          <Button htmlType="submit" icon={<ExperimentOutlined />} loading={dryRun.running} disabled={!pattern.trim()} data-testid="bulk-dry-run">
            Dry run
          </Button>
        </Flex>
      </form>
      <Typography.Text type="secondary" style={{ marginTop: -8 }}>
        The dry run counts the matching keys without deleting anything; then you confirm how many may go.
      </Typography.Text>
      {dryRun.pattern !== null && (
        <DryRunResult state={dryRun} prefix={instance.key_prefix} shownPattern={fullPattern(instance.key_prefix, dryRun.pattern)} onStop={dryRun.stop}>
          {counted && dryRun.matched > 0 && (
            <WriteAction allowed={write.allowed} reason={write.reason} testId="bulk-delete-needs-write">
              <Button danger type="primary" icon={<DeleteOutlined />} onClick={() => setConfirming(true)} data-testid="bulk-delete">
                Delete {keysCount(dryRun.matched)}…
              </Button>
            </WriteAction>
          )}
        </DryRunResult>
      )}
      <BulkConfirmModal
        open={confirming && counted}
        matched={dryRun.matched}
        complete={dryRun.end === 'complete'}
        shownPattern={fullPattern(instance.key_prefix, dryRun.pattern ?? '')}
        starting={start.isPending}
        error={start.error}
        onCancel={() => setConfirming(false)}
        onStart={(maxKeys) =>
          start.mutate(
            { pattern: dryRun.pattern ?? '', max_keys: maxKeys },
            {
              onSuccess: (job) => {
                setConfirming(false)
                setWatched(job.id)
                dryRun.reset()
              },
            },
          )
        }
      />
      {watched !== null && <BulkJobProgress key={watched} instance={ref} jobId={watched} write={write} onClose={() => setWatched(null)} />}
      <Card size="small" title="Recent bulk deletes">
        <BulkJobsTable instance={ref} prefix={instance.key_prefix} onOpen={(job) => setWatched(job.id)} />
      </Card>
    </Flex>
  )
}

interface ResultProps {
  state: DryRunState
  prefix: string
  shownPattern: string
  onStop: () => void
  children: ReactNode
}

function DryRunResult({ state, prefix, shownPattern, onStop, children }: ResultProps) {
  return (
    <Card size="small" title="Dry run" data-testid="bulk-dry-run-result">
      <Flex vertical gap={12}>
        {state.error != null && <CacheProblem error={state.error} title="Cannot count the keys" />}
        <PartialAlert failures={state.failures} />
        <Flex gap={12} align="center" wrap justify="space-between">
          <Space wrap>
            {state.running && <Spin size="small" />}
            <Typography.Text data-testid="bulk-matched">
              {state.running ? 'Counting… ' : ''}
              <strong>{keysCount(state.matched)}</strong> {state.running ? 'so far' : 'match'}{' '}
              <Typography.Text code style={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>
                {shownPattern}
              </Typography.Text>
            </Typography.Text>
            <Typography.Text type="secondary">examined ~{count(state.examined)} keys</Typography.Text>
            {state.end === 'stopped' && <Typography.Text type="warning">stopped before the end: more may match</Typography.Text>}
          </Space>
          {state.running ? (
            <Button onClick={onStop} data-testid="bulk-dry-run-stop">
              Stop
            </Button>
          ) : (
            children
          )}
        </Flex>
        {state.sample.length > 0 && (
          <List
            size="small"
            bordered
            header={<Typography.Text type="secondary">The first {state.sample.length} found</Typography.Text>}
            dataSource={state.sample}
            renderItem={(key) => (
              <List.Item style={{ padding: '4px 12px' }}>
                <KeyName name={key.key} binary={key.binary} prefix={prefix} />
              </List.Item>
            )}
            style={{ maxHeight: 260, overflow: 'auto' }}
            data-testid="bulk-sample"
          />
        )}
      </Flex>
    </Card>
  )
}
