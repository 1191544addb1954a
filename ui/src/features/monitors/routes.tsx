import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'
import { MonitorsSection } from './MonitorsSection'

const editor = lazyPage(() => import('./editor/MonitorEditorPage'), 'MonitorEditorPage')

export const routes: RouteObject[] = [
  {
    path: 'monitors',
    element: <MonitorsSection />,
    children: [
      { index: true, lazy: lazyPage(() => import('./MonitorsPage'), 'MonitorsPage') },
      { path: 'alerts', lazy: lazyPage(() => import('./AlertsPage'), 'AlertsPage') },
      { path: 'new', lazy: editor },
      { path: ':id', lazy: lazyPage(() => import('./MonitorDetailPage'), 'MonitorDetailPage') },
      { path: ':id/edit', lazy: editor },
    ],
  },
]
