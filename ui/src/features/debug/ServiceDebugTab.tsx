import { Col, Empty, Row } from 'antd'
import { Link } from 'react-router'
import type { Service } from '../../api/types'
import { QueryError } from '../../components/QueryError'
import { CompareView } from './CompareView'
import { EndpointList } from './EndpointList'
import { useEndpointDefinitions, useEndpointStatuses, useRun } from './queries'
import { NoRunYet, RunResult } from './RunResult'
import { RunPanel } from './RunPanel'
import { useDebugLocation } from './useDebugLocation'

/**
 * A service's debug endpoints: pick one, fill in its parameters, run it, and read the
 * run (its waterfall, raw answer, history, comparisons). Without a run in the address it
 * shows the endpoint's last one; without an endpoint, the run's or the first.
 */
export function ServiceDebugTab({ service }: { service: Service }) {
  const location = useDebugLocation()
  const statuses = useEndpointStatuses(service.name)
  const definitions = useEndpointDefinitions(service.name)
  const endpoints = statuses.data ?? []
  // A run named in the address belongs to an endpoint: that one is picked unless the address names another.
  const linkedRun = useRun(location.run)
  const wanted = location.endpoint ?? linkedRun.data?.endpoint_id
  const selected = endpoints.find((endpoint) => endpoint.id === wanted) ?? endpoints.at(0)
  const definition = definitions.data?.items.find((item) => item.id === selected?.id)
  const runId = location.run ?? selected?.last_run?.id ?? null
  const shownRun = useRun(runId)

  if (statuses.isError) {
    return (
      <div data-testid="debug-tab">
        <QueryError query={statuses} title="Cannot load the debug endpoints" />
      </div>
    )
  }
  if (statuses.isSuccess && endpoints.length === 0) {
    return (
      <div data-testid="debug-tab">
        <Empty
          description={
            <>
              No debug endpoint yet. Add one under <Link to="?tab=debug-endpoints">Debug endpoints</Link>.
            </>
          }
        />
      </div>
    )
  }
  return (
    <div data-testid="debug-tab">
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={10}>
          <EndpointList endpoints={endpoints} loading={statuses.isPending} selectedId={selected?.id ?? null} onSelect={location.openEndpoint} />
        </Col>
        <Col xs={24} xl={14}>
          {definitions.isError && <QueryError query={definitions} title="Cannot load the endpoint's parameters" />}
          {selected && definition && (
            <RunPanel key={definition.id} service={service} endpoint={definition} shownRun={shownRun.data} onRan={(run) => location.openRun(run.id)} />
          )}
        </Col>
      </Row>
      {runId !== null && location.compare !== null ? (
        <CompareView base={runId} other={location.compare} onClose={location.closeComparison} />
      ) : runId !== null ? (
        <RunResult runId={runId} location={location} />
      ) : (
        selected && <NoRunYet />
      )}
    </div>
  )
}
