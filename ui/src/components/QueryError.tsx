import { Alert, Button } from 'antd'
import { problemOf } from '../api/errors'
import type { CSSProperties, ReactNode } from 'react'
import { ErrorAlert } from './ErrorAlert'

interface FailedQuery {
  error: unknown
  refetch: () => unknown
}

interface Props {
  /** The query that failed; Retry runs it again. */
  query: FailedQuery
  title: ReactNode
  testId?: string
  style?: CSSProperties
}

/** A query that could not load: the API's problem, its request id, and Retry; or, when
 * the caller lacks the permission, what they need and whom to ask (a retry would not help). */
export function QueryError({ query, title, testId, style }: Props) {
  const problem = problemOf(query.error)
  if (problem.status === 403) {
    return (
      <Alert
        type="warning"
        showIcon
        message="You may not see this"
        description={problem.detail}
        data-testid={testId ?? 'permission-needed'}
        style={style}
      />
    )
  }
  return (
    <ErrorAlert
      error={query.error}
      title={title}
      testId={testId}
      style={style}
      action={<Button onClick={() => void query.refetch()}>Retry</Button>}
    />
  )
}
