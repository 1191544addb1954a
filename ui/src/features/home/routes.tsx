import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'

export const routes: RouteObject[] = [{ index: true, lazy: lazyPage(() => import('./HomePage'), 'HomePage') }]
