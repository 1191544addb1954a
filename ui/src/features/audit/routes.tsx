import type { RouteObject } from 'react-router'
import { AuditDetailPage } from './AuditDetailPage'
import { AuditLogPage } from './AuditLogPage'
import { ObjectHistoryPage } from './ObjectHistoryPage'

export const routes: RouteObject[] = [
  {
    path: 'audit',
    children: [
      { index: true, element: <AuditLogPage /> },
      { path: 'history', element: <ObjectHistoryPage /> },
      { path: ':id', element: <AuditDetailPage /> },
    ],
  },
]
