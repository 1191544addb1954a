import { ApartmentOutlined, SafetyOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons'
import { currentSection, SectionNav, type Section } from '../../components/SectionNav'

const SECTIONS: Section[] = [
  { value: '/access/users', label: 'Users', icon: <UserOutlined />, testId: 'access-nav-users' },
  { value: '/access/teams', label: 'Teams', icon: <TeamOutlined />, testId: 'access-nav-teams' },
  { value: '/access/roles', label: 'Roles', icon: <SafetyOutlined />, testId: 'access-nav-roles' },
  { value: '/access/groups', label: 'Directory groups', icon: <ApartmentOutlined />, testId: 'access-nav-groups' },
]

export function currentAccessSection(pathname: string): string {
  return currentSection(SECTIONS, pathname, '/access/users')
}

/** The access pages share a sub-navigation: users, teams, roles, directory groups. */
export function AccessSection() {
  return <SectionNav sections={SECTIONS} fallback="/access/users" testId="access-nav" />
}
