import { App, Typography } from 'antd'
import { useCallback } from 'react'
import { problemOf } from '../../api/errors'

/** Reports a failed action as a notification: what failed, the problem's detail, and the request id to quote. */
export function useFailure() {
  const { notification } = App.useApp()
  return useCallback(
    (title: string, error: unknown) => {
      const problem = problemOf(error)
      notification.error({
        message: title,
        description: (
          <div data-testid="action-error">
            <div>{problem.detail ?? problem.title}</div>
            {problem.request_id && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                Request id: <Typography.Text code copyable style={{ fontSize: 12 }}>{problem.request_id}</Typography.Text>
              </Typography.Text>
            )}
          </div>
        ),
      })
    },
    [notification],
  )
}
