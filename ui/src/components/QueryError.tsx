import { Button } from 'antd'
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

/** A query that could not load: the API's problem, its request id, and Retry. */
export function QueryError({ query, title, testId, style }: Props) {
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
