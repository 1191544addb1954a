import type { ReactNode } from 'react'
import { WriteAction as GuardedAction } from '../../components/WriteAction'
import { usePermissions } from '../auth/queries'

export const NEEDS_WRITE = 'Needs the access write permission'

/**
 * Whether the logged-in user may change access settings: the access write permission
 * reaching everything (GET /auth/me/permissions). The API enforces it anyway.
 */
export function useCanWriteAccess(): boolean {
  return usePermissions().can('access', 'write')
}

/**
 * A write action: as given when the user may write, else disabled with a tooltip
 * saying why. The child must accept `disabled` (a Button, a Select...).
 */
export function WriteAction({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  return (
    <GuardedAction allowed={allowed} reason={NEEDS_WRITE}>
      {children}
    </GuardedAction>
  )
}
