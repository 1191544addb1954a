import { createBrowserRouter } from 'react-router'
import { TokensPage } from '../features/account/TokensPage'
import { LoginPage } from '../features/auth/LoginPage'
import { CatalogSection } from '../features/catalog/CatalogSection'
import { KafkaClustersPage, NotificationChannelsPage } from '../features/catalog/GlobalConnectionsPages'
import { ServiceDetailPage } from '../features/catalog/services/ServiceDetailPage'
import { ServicesPage } from '../features/catalog/services/ServicesPage'
import { HomePage } from '../features/home/HomePage'
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
