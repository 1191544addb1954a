import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'
import { CatalogSection } from './CatalogSection'

export const routes: RouteObject[] = [
  {
    path: 'catalog',
    element: <CatalogSection />,
    children: [
      { index: true, lazy: lazyPage(() => import('./services/ServicesPage'), 'ServicesPage') },
      { path: 'services/:name', lazy: lazyPage(() => import('./services/ServiceDetailPage'), 'ServiceDetailPage') },
      { path: 'kafka-clusters', lazy: lazyPage(() => import('./GlobalConnectionsPages'), 'KafkaClustersPage') },
      { path: 'notification-channels', lazy: lazyPage(() => import('./GlobalConnectionsPages'), 'NotificationChannelsPage') },
    ],
  },
]
