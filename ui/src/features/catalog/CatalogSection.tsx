import { Segmented } from 'antd'
import { ApiOutlined, AppstoreOutlined, BellOutlined } from '@ant-design/icons'
import { Outlet, useLocation, useNavigate } from 'react-router'

const SECTIONS = [
  { value: '/catalog', label: 'Services', icon: <AppstoreOutlined />, testId: 'catalog-nav-services' },
  { value: '/catalog/kafka-clusters', label: 'Kafka clusters', icon: <ApiOutlined />, testId: 'catalog-nav-kafka' },
  { value: '/catalog/notification-channels', label: 'Notification channels', icon: <BellOutlined />, testId: 'catalog-nav-channels' },
]

function currentSection(pathname: string): string {
  const match = SECTIONS.slice(1).find((s) => pathname === s.value || pathname.startsWith(`${s.value}/`))
  return match ? match.value : '/catalog'
}

/** The catalog's pages share a sub-navigation: services, then the global connections. */
export function CatalogSection() {
  const { pathname } = useLocation()
  const navigate = useNavigate()
  return (
    <>
      <div style={{ marginBottom: 20, overflowX: 'auto' }}>
        <Segmented
          data-testid="catalog-nav"
          value={currentSection(pathname)}
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
