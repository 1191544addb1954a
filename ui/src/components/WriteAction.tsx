import { Tooltip } from 'antd'
import { cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react'

interface Props {
  allowed: boolean
  /** Why the action is disabled, shown in a tooltip. */
  reason: ReactNode
  children: ReactNode
  testId?: string
}

/**
 * A write action: as given when the user may take it, else disabled with a tooltip
 * saying why. The child must accept `disabled` (a Button, a Select...).
 */
export function WriteAction({ allowed, reason, children, testId = 'needs-write' }: Props) {
  if (allowed || !isValidElement(children)) return <>{children}</>
  return (
    <Tooltip title={reason}>
      <span style={{ display: 'inline-block', cursor: 'not-allowed' }} data-testid={testId}>
        {cloneElement(children as ReactElement<{ disabled?: boolean; style?: object }>, {
          disabled: true,
          style: { ...((children.props as { style?: object }).style ?? {}), pointerEvents: 'none' },
        })}
      </span>
    </Tooltip>
  )
}
