import { Alert, Card, Empty, Skeleton, Tabs } from 'antd'
import { QueryError } from '../../components/QueryError'
import { JsonBlock } from './JsonBlock'
import { useRun } from './queries'
import { RawResponse } from './RawResponse'
import { RunHeader } from './RunHeader'
import { RunHistory } from './RunHistory'
import type { RunRead, RunView } from './types'
import type { DebugLocation } from './useDebugLocation'
import { Waterfall } from './Waterfall'

function hasResult(run: RunRead): boolean {
  return run.trace?.result !== undefined && run.trace.result !== null
}

/** The view asked for when the run has it; else its waterfall, or its raw answer when it is no trace. */
function shownView(run: RunRead, asked: RunView | null): RunView {
  if (asked === 'raw' || asked === 'history') return asked
  if (asked === 'result' && hasResult(run)) return asked
  return run.trace ? 'waterfall' : 'raw'
}

interface Props {
  runId: number
  location: DebugLocation
}

/** One run: how it went, then its waterfall, raw answer, result and the endpoint's history. */
export function RunResult({ runId, location }: Props) {
  const run = useRun(runId)
  if (run.isPending) {
    return (
      <Card size="small">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  }
  if (run.isError) return <QueryError query={run} title={`Cannot load run #${runId}`} />
  const data = run.data
  const trace = data.trace
  return (
    <Card size="small" data-testid="debug-run">
      <RunHeader run={data} />
      {trace?.error && <Alert type="error" showIcon style={{ marginTop: 8 }} message="The endpoint reported an error" description={trace.error} />}
      <Tabs
        activeKey={shownView(data, location.view)}
        onChange={(key) => location.setView(key as RunView)}
        data-testid="debug-run-views"
        items={[
          {
            key: 'waterfall',
            label: 'Waterfall',
            disabled: !trace,
            children: trace ? <Waterfall key={data.id} trace={trace} /> : null,
          },
          { key: 'raw', label: 'Raw response', children: <RawResponse run={data} /> },
          ...(hasResult(data) ? [{ key: 'result', label: 'Result', children: <JsonBlock testId="debug-result">{JSON.stringify(trace?.result, null, 2)}</JsonBlock> }] : []),
          {
            key: 'history',
            label: 'History',
            children: <RunHistory endpoint={{ service: data.service, endpointId: data.endpoint_id }} shownRun={data.id} onOpen={(id) => location.openRun(id)} onCompare={location.openComparison} />,
          },
        ]}
      />
    </Card>
  )
}

/** Where the run goes before the endpoint has one. */
export function NoRunYet() {
  return (
    <Card size="small" data-testid="debug-no-run">
      <Empty description="No run of this endpoint yet: press Run to make one." />
    </Card>
  )
}
