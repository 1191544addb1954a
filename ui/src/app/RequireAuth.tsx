import { Flex, Spin } from 'antd'
import { Navigate, Outlet, useLocation } from 'react-router'
import { useMe } from '../features/auth/queries'
import { loginPathFor } from './safeNext'
import { QueryError } from '../components/QueryError'

/** Renders the app only with a session; otherwise sends the browser to /login?next=... */
export function RequireAuth() {
  const me = useMe()
  const location = useLocation()
  if (me.isPending) {
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Spin size="large" data-testid="session-loading" />
      </Flex>
    )
  }
  if (me.isError) {
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh', padding: 24 }}>
        <QueryError query={me} title="Cannot check your session" style={{ maxWidth: 560 }} />
      </Flex>
    )
  }
  if (!me.data) return <Navigate to={loginPathFor(location)} replace />
  return <Outlet />
}
