import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'

export const routes: RouteObject[] = [
  { path: 'account/tokens', lazy: lazyPage(() => import('./TokensPage'), 'TokensPage') },
  { path: 'account/password', lazy: lazyPage(() => import('./PasswordPage'), 'PasswordPage') },
]
