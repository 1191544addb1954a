import { Segmented } from 'antd'
import { ApartmentOutlined, SafetyOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons'
import { Outlet, useLocation, useNavigate } from 'react-router'

const SECTIONS = [
  { value: '/access/users', label: 'Users', icon: <UserOutlined />, testId: 'access-nav-users' },
  { value: '/access/teams', label: 'Teams', icon: <TeamOutlined />, testId: 'access-nav-teams' },
  { value: '/access/roles', label: 'Roles', icon: <SafetyOutlined />, testId: 'access-nav-roles' },
  { value: '/access/groups', label: 'Directory groups', icon: <ApartmentOutlined />, testId: 'access-nav-groups' },
]

export function currentAccessSection(pathname: string): string {
  const match = SECTIONS.find((s) => pathname === s.value || pathname.startsWith(`${s.value}/`))
  return match ? match.value : '/access/users'
}

/** The access pages share a sub-navigation: users, teams, roles, directory groups. */
export function AccessSection() {
  const { pathname } = useLocation()
  const navigate = useNavigate()
  return (
    <>
      <div style={{ marginBottom: 20, overflowX: 'auto' }}>
        <Segmented
          data-testid="access-nav"
          value={currentAccessSection(pathname)}
          onChange={(value) => navigate(String(value))}
          options={SECTIONS.map((s) => ({
            value: s.value,
            icon: s.icon,
            label: <span data-testid={s.testId}>{s.label}</span>,
          }))}
        />
      </div>
      <Outlet />
    </>
  )
}
