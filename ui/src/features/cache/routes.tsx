import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'

export const routes: RouteObject[] = [{ path: 'cache', lazy: lazyPage(() => import('./CachePage'), 'CachePage') }]
