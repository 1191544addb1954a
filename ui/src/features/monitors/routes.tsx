import type { RouteObject } from 'react-router'
import { AlertsPage } from './AlertsPage'
import { MonitorEditorPage } from './editor/MonitorEditorPage'
import { MonitorDetailPage } from './MonitorDetailPage'
import { MonitorsPage } from './MonitorsPage'
import { MonitorsSection } from './MonitorsSection'

export const routes: RouteObject[] = [
  {
    path: 'monitors',
    element: <MonitorsSection />,
    children: [
      { index: true, element: <MonitorsPage /> },
      { path: 'alerts', element: <AlertsPage /> },
      { path: 'new', element: <MonitorEditorPage /> },
      { path: ':id', element: <MonitorDetailPage /> },
      { path: ':id/edit', element: <MonitorEditorPage /> },
    ],
  },
]
