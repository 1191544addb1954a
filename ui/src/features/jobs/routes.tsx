import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'

export const routes: RouteObject[] = [
  {
    path: 'jobs',
    children: [
      { index: true, lazy: lazyPage(() => import('./JobsOverviewPage'), 'JobsOverviewPage') },
      { path: ':service', lazy: lazyPage(() => import('./ServiceJobsPage'), 'ServiceJobsPage') },
      { path: ':service/:backendId', lazy: lazyPage(() => import('./BackendPage'), 'BackendPage') },
    ],
  },
]
