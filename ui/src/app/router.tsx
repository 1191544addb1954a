import { createBrowserRouter, type RouteObject } from 'react-router'
import { LoginPage } from '../features/auth/LoginPage'
import { SetPasswordPage } from '../features/auth/SetPasswordPage'
import { AppLayout } from './AppLayout'
import { collectFeatureRoutes, type FeatureRoutes } from './featureRoutes'
import { NotFoundPage } from './NotFoundPage'
import { RequireAuth } from './RequireAuth'

const features = import.meta.glob<FeatureRoutes>('../features/*/routes.tsx', { eager: true })

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  { path: '/set-password', element: <SetPasswordPage /> },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [...collectFeatureRoutes(features), { path: '*', element: <NotFoundPage /> }],
      },
    ],
  },
]

export function createRouter() {
  return createBrowserRouter(routes)
}
