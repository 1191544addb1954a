import type { RouteObject } from 'react-router'
import { TokensPage } from './TokensPage'

export const routes: RouteObject[] = [{ path: 'account/tokens', element: <TokensPage /> }]
