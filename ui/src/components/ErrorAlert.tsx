import { Alert, Typography } from 'antd'
import type { CSSProperties, ReactNode } from 'react'
import { problemOf } from '../api/errors'

interface Props {
  error: unknown
  /** Heading; defaults to the problem's title. */
  title?: ReactNode
  /** Replaces the problem's detail line. */
  detail?: ReactNode
  /** More lines to list, e.g. field errors no form field could show. */
  messages?: string[]
  action?: ReactNode
  testId?: string
  style?: CSSProperties
}

/** A problem from the API: what happened, the detail, and the request id to quote. */
export function ErrorAlert({ error, title, detail: detailOverride, messages = [], action, testId = 'error-alert', style }: Props) {
  const problem = problemOf(error)
  const detail = detailOverride ?? (problem.detail && problem.detail !== problem.title ? problem.detail : null)
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      style={style}
      message={title ?? problem.title}
      action={action}
      description={
        <>
          {detail && <div>{detail}</div>}
          {messages.length > 0 && (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {messages.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          {problem.request_id && (
            // For whoever reports the problem; folded away so it does not read as the message.
            <details style={{ marginTop: 4 }} data-testid="error-details">
              <summary style={{ cursor: 'pointer', fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>Details</summary>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                Request id: <Typography.Text code copyable style={{ fontSize: 12 }}>{problem.request_id}</Typography.Text>
              </Typography.Text>
            </details>
          )}
        </>
      }
    />
  )
}
