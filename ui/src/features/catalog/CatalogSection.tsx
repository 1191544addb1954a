import { ApiOutlined, AppstoreOutlined, BellOutlined } from '@ant-design/icons'
import { SectionNav, type Section } from '../../components/SectionNav'

const SECTIONS: Section[] = [
  { value: '/catalog', label: 'Services', icon: <AppstoreOutlined />, testId: 'catalog-nav-services' },
  { value: '/catalog/kafka-clusters', label: 'Kafka clusters', icon: <ApiOutlined />, testId: 'catalog-nav-kafka' },
  { value: '/catalog/notification-channels', label: 'Notification channels', icon: <BellOutlined />, testId: 'catalog-nav-channels' },
]

/** The catalog's pages share a sub-navigation: services, then the global connections. */
export function CatalogSection() {
  return <SectionNav sections={SECTIONS} fallback="/catalog" testId="catalog-nav" />
}
