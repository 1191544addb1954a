import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'

export const routes: RouteObject[] = [
  {
    path: 'audit',
    children: [
      { index: true, lazy: lazyPage(() => import('./AuditLogPage'), 'AuditLogPage') },
      { path: 'history', lazy: lazyPage(() => import('./ObjectHistoryPage'), 'ObjectHistoryPage') },
      { path: ':id', lazy: lazyPage(() => import('./AuditDetailPage'), 'AuditDetailPage') },
    ],
  },
]
