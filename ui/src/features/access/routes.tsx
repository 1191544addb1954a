import { Navigate, type RouteObject } from 'react-router'
import { lazyPage } from '../../app/lazyPage'
import { AccessSection } from './AccessSection'

export const routes: RouteObject[] = [
  {
    path: 'access',
    element: <AccessSection />,
    children: [
      { index: true, element: <Navigate to="/access/users" replace /> },
      { path: 'users', lazy: lazyPage(() => import('./users/UsersPage'), 'UsersPage') },
      { path: 'users/:id', lazy: lazyPage(() => import('./users/UserDetailPage'), 'UserDetailPage') },
      { path: 'teams', lazy: lazyPage(() => import('./teams/TeamsPage'), 'TeamsPage') },
      { path: 'roles', lazy: lazyPage(() => import('./roles/RolesPage'), 'RolesPage') },
      { path: 'groups', lazy: lazyPage(() => import('./groups/GroupsPage'), 'GroupsPage') },
    ],
  },
]
