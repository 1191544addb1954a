import { createBrowserRouter, Navigate } from 'react-router'
import { TokensPage } from '../features/account/TokensPage'
import { AccessSection } from '../features/access/AccessSection'
import { GroupsPage } from '../features/access/groups/GroupsPage'
import { RolesPage } from '../features/access/roles/RolesPage'
import { TeamsPage } from '../features/access/teams/TeamsPage'
import { UserDetailPage } from '../features/access/users/UserDetailPage'
import { UsersPage } from '../features/access/users/UsersPage'
import { AuditDetailPage } from '../features/audit/AuditDetailPage'
import { AuditLogPage } from '../features/audit/AuditLogPage'
import { ObjectHistoryPage } from '../features/audit/ObjectHistoryPage'
import { LoginPage } from '../features/auth/LoginPage'
import { CatalogSection } from '../features/catalog/CatalogSection'
import { KafkaClustersPage, NotificationChannelsPage } from '../features/catalog/GlobalConnectionsPages'
import { ServiceDetailPage } from '../features/catalog/services/ServiceDetailPage'
import { ServicesPage } from '../features/catalog/services/ServicesPage'
import { HomePage } from '../features/home/HomePage'
import { AlertsPage } from '../features/monitors/AlertsPage'
import { MonitorEditorPage } from '../features/monitors/editor/MonitorEditorPage'
import { MonitorDetailPage } from '../features/monitors/MonitorDetailPage'
import { MonitorsPage } from '../features/monitors/MonitorsPage'
import { MonitorsSection } from '../features/monitors/MonitorsSection'
import { AppLayout } from './AppLayout'
import { NotFoundPage } from './NotFoundPage'
import { RequireAuth } from './RequireAuth'

export const routes = [
  { path: '/login', element: <LoginPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, element: <HomePage /> },
          {
            path: 'catalog',
            element: <CatalogSection />,
            children: [
              { index: true, element: <ServicesPage /> },
              { path: 'services/:name', element: <ServiceDetailPage /> },
              { path: 'kafka-clusters', element: <KafkaClustersPage /> },
              { path: 'notification-channels', element: <NotificationChannelsPage /> },
            ],
          },
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
          {
            path: 'access',
            element: <AccessSection />,
            children: [
              { index: true, element: <Navigate to="/access/users" replace /> },
              { path: 'users', element: <UsersPage /> },
              { path: 'users/:id', element: <UserDetailPage /> },
              { path: 'teams', element: <TeamsPage /> },
              { path: 'roles', element: <RolesPage /> },
              { path: 'groups', element: <GroupsPage /> },
            ],
          },
          {
            path: 'audit',
            children: [
              { index: true, element: <AuditLogPage /> },
              { path: 'history', element: <ObjectHistoryPage /> },
              { path: ':id', element: <AuditDetailPage /> },
            ],
          },
          { path: 'account/tokens', element: <TokensPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]

export function createRouter() {
  return createBrowserRouter(routes)
}
