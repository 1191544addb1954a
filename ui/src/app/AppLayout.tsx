import { useState } from 'react'
import { Alert, Avatar, Breadcrumb, Button, Dropdown, Flex, Layout, Menu, Skeleton, Typography, theme } from 'antd'
import type { MenuProps } from 'antd'
import { KeyOutlined, LockOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons'
import { Link, Outlet, useLocation, useNavigate } from 'react-router'
import { problemOf } from '../api/errors'
import { useCrumbs } from '../components/PageTitle'
import { useLogout, useMe } from '../features/auth/queries'
import { buildMenuItems, selectedNavKey } from './navigation'
import { useBadges, useModules } from './queries'
import { Logo } from './Logo'

const { Sider, Header, Content } = Layout

function SideNav({ collapsed }: { collapsed: boolean }) {
  const modules = useModules()
  const badges = useBadges()
  const { pathname } = useLocation()
  const list = modules.data ?? []
  const counts = Object.fromEntries((badges.data ?? []).map((badge) => [badge.module, badge.count]))
  const selected = selectedNavKey(pathname, list)
  return (
    <>
      <Link to="/" data-testid="logo" style={{ display: 'block' }}>
        <Logo collapsed={collapsed} />
      </Link>
      {modules.isPending ? (
        <div style={{ padding: 16 }}>
          <Skeleton active title={false} paragraph={{ rows: 4 }} />
        </div>
      ) : (
        <Menu
          theme="dark"
          mode="inline"
          data-testid="side-nav"
          selectedKeys={selected ? [selected] : []}
          items={buildMenuItems(list, counts)}
        />
      )}
    </>
  )
}

function UserMenu() {
  const me = useMe()
  const logout = useLogout()
  const navigate = useNavigate()
  const items: MenuProps['items'] = [
    { key: 'tokens', icon: <KeyOutlined />, label: <span data-testid="menu-api-tokens">API tokens</span> },
    { key: 'password', icon: <LockOutlined />, label: <span data-testid="menu-password">Password</span> },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="menu-logout">Log out</span>, danger: true },
  ]
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'tokens') navigate('/account/tokens')
    if (key === 'password') navigate('/account/password')
    if (key === 'logout') logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })
  }
  const user = me.data
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" data-testid="user-menu" aria-label="User menu" style={{ height: 40 }}>
        <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: '#1677ff' }} />
        <span style={{ maxWidth: 200, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {user?.display_name || user?.username}
        </span>
      </Button>
    </Dropdown>
  )
}

function PageCrumbs() {
  const crumbs = useCrumbs()
  if (crumbs.length === 0) return null
  return (
    <Breadcrumb
      data-testid="page-title"
      items={crumbs.map((crumb, index) => ({
        key: `${index}-${crumb.title}`,
        title:
          index === crumbs.length - 1 ? (
            <Typography.Text strong>{crumb.title}</Typography.Text>
          ) : crumb.path ? (
            <Link to={crumb.path}>{crumb.title}</Link>
          ) : (
            crumb.title
          ),
      }))}
    />
  )
}

function ModulesWarning() {
  const modules = useModules()
  if (!modules.isError) return null
  const problem = problemOf(modules.error)
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      message="The navigation could not be loaded"
      description={`${problem.detail ?? problem.title}${problem.request_id ? ` (request id ${problem.request_id})` : ''}`}
      action={<Button size="small" onClick={() => void modules.refetch()}>Retry</Button>}
    />
  )
}

export function AppLayout() {
  const [collapsed, setCollapsed] = useState(false)
  const { token } = theme.useToken()
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        trigger={null}
        width={232}
      >
        {/* The dark column runs the page's whole height; the menu in it stays in view. */}
        <div style={{ position: 'sticky', top: 0, maxHeight: '100vh', overflow: 'auto' }} data-testid="side-column">
          <SideNav collapsed={collapsed} />
        </div>
      </Sider>
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            paddingInline: 16,
            height: 56,
            lineHeight: '56px',
          }}
        >
          <Flex align="center" justify="space-between" gap={16} style={{ height: '100%' }}>
            <Flex align="center" gap={8} style={{ minWidth: 0 }}>
              <Button
                type="text"
                aria-label={collapsed ? 'Expand navigation' : 'Collapse navigation'}
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => setCollapsed(!collapsed)}
              />
              <PageCrumbs />
            </Flex>
            <UserMenu />
          </Flex>
        </Header>
        <Content style={{ padding: 24, minWidth: 0 }}>
          <div style={{ maxWidth: 1400, margin: '0 auto' }}>
            <ModulesWarning />
            <Outlet />
          </div>
        </Content>
      </Layout>
    </Layout>
  )
}
