import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'

export const routes: RouteObject[] = [{ path: 'debug', lazy: lazyPage(() => import('./DebugPage'), 'DebugPage') }]
