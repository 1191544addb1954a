import { Button, Result } from 'antd'
import { Link, useLocation } from 'react-router'
import { usePageTitle } from '../components/PageTitle'
import { moduleNavEntries } from './navigation'
import { useModules } from './queries'

/** Unknown paths; a module the API lists but this UI build has no page for says so. */
export function NotFoundPage() {
  const { pathname } = useLocation()
  const modules = useModules()
  const module = moduleNavEntries(modules.data ?? []).find((entry) => pathname === entry.path || pathname.startsWith(`${entry.path}/`))
  usePageTitle({ title: module ? module.title : 'Not found' })
  return (
    <div data-testid="not-found">
      <Result
        status={module ? 'info' : '404'}
        title={module ? module.title : 'Page not found'}
        subTitle={module ? 'This module has no page in this build of the web UI yet; use its API.' : `Nothing lives at ${pathname}.`}
        extra={
          <Link to="/">
            <Button type="primary">Back home</Button>
          </Link>
        }
      />
    </div>
  )
}
