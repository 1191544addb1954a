import { Alert, Button } from 'antd'
import type { CSSProperties, ReactNode } from 'react'
import { problemOf } from '../../api/errors'
import { ErrorAlert } from '../../components/ErrorAlert'
import { QueryError } from '../../components/QueryError'

interface Props {
  error: unknown
  /** What could not be done ("Cannot search the keys"), for errors other than Redis down. */
  title: ReactNode
  retry?: () => unknown
  testId?: string
  style?: CSSProperties
}

/**
 * A failed cache request said the way a person acts on it: Redis not answering (502)
 * is a state of the instance, not a bug of the page, and shows so with the API's
 * reason; a read-only instance (409) and bad input (422) say what was refused; missing
 * permissions say what is needed.
 */
export function CacheProblem({ error, title, retry, testId = 'cache-error', style }: Props) {
  const problem = problemOf(error)
  const action = retry ? <Button onClick={() => void retry()}>Retry</Button> : undefined
  if (problem.status === 403) return <QueryError query={{ error, refetch: retry ?? (() => undefined) }} title={title} style={style} />
  if (problem.status === 502) {
    return <ErrorAlert error={error} title="Redis not answering" action={action} testId="redis-down" style={style} />
  }
  return <ErrorAlert error={error} title={problem.status === 409 || problem.status === 422 ? problem.title : title} action={action} testId={testId} style={style} />
}

/** Some nodes of a cluster did not answer: what is shown misses their keys. */
export function PartialAlert({ failures, what = 'The keys' }: { failures: Record<string, string>; what?: string }) {
  const nodes = Object.entries(failures)
  if (nodes.length === 0) return null
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="cache-partial"
      message={`Partial: ${nodes.length} ${nodes.length === 1 ? 'node' : 'nodes'} did not answer`}
      description={
        <>
          <div>{what} of these nodes are missing:</div>
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {nodes.map(([node, why]) => (
              <li key={node} style={{ overflowWrap: 'anywhere' }}>
                <strong>{node}</strong>: {why}
              </li>
            ))}
          </ul>
        </>
      }
    />
  )
}
