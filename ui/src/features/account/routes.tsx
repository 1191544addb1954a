import type { RouteObject } from 'react-router'
import { PasswordPage } from './PasswordPage'
import { TokensPage } from './TokensPage'

export const routes: RouteObject[] = [
  { path: 'account/tokens', element: <TokensPage /> },
  { path: 'account/password', element: <PasswordPage /> },
]
