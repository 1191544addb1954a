import { Navigate, type RouteObject } from 'react-router'
import { AccessSection } from './AccessSection'
import { GroupsPage } from './groups/GroupsPage'
import { RolesPage } from './roles/RolesPage'
import { TeamsPage } from './teams/TeamsPage'
import { UserDetailPage } from './users/UserDetailPage'
import { UsersPage } from './users/UsersPage'

export const routes: RouteObject[] = [
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
]
