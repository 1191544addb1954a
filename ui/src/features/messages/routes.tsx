import type { RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'
import { MessagesSection } from './MessagesSection'

export const routes: RouteObject[] = [
  {
    path: 'messages',
    element: <MessagesSection />,
    children: [
      { index: true, lazy: lazyPage(() => import('./SubscriptionsPage'), 'SubscriptionsPage') },
      { path: 'schemas', lazy: lazyPage(() => import('./SchemasPage'), 'SchemasPage') },
      { path: 'browse', lazy: lazyPage(() => import('./BrowsePage'), 'BrowsePage') },
      { path: 'subscriptions/:id', lazy: lazyPage(() => import('./SubscriptionPage'), 'SubscriptionPage') },
    ],
  },
]
