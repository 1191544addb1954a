import { Tooltip } from 'antd'
import { cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react'
import { useMe } from '../auth/queries'

export const NEEDS_WRITE = 'Needs the access write permission'

/**
 * Whether the logged-in user may change access settings. Only administrators are
 * known to (GET /auth/me carries no permissions); the API enforces it anyway.
 */
export function useCanWriteAccess(): boolean {
  const me = useMe()
  return me.data?.is_admin === true
}

/**
 * A write action: as given when the user may write, else disabled with a tooltip
 * saying why. The child must accept `disabled` (a Button, a Select...).
 */
export function WriteAction({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  if (allowed || !isValidElement(children)) return <>{children}</>
  return (
    <Tooltip title={NEEDS_WRITE}>
      <span style={{ display: 'inline-block', cursor: 'not-allowed' }} data-testid="needs-write">
        {cloneElement(children as ReactElement<{ disabled?: boolean; style?: object }>, {
          disabled: true,
          style: { ...((children.props as { style?: object }).style ?? {}), pointerEvents: 'none' },
        })}
      </span>
    </Tooltip>
  )
}
