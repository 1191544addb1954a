import type { RouteObject } from 'react-router'
import { CatalogSection } from './CatalogSection'
import { KafkaClustersPage, NotificationChannelsPage } from './GlobalConnectionsPages'
import { ServiceDetailPage } from './services/ServiceDetailPage'
import { ServicesPage } from './services/ServicesPage'

export const routes: RouteObject[] = [
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
]
