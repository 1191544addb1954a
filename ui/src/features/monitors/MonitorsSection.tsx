import { AlertOutlined, MonitorOutlined } from '@ant-design/icons'
import { SectionNav, type Section } from '../../components/SectionNav'

const SECTIONS: Section[] = [
  { value: '/monitors', label: 'Monitors', icon: <MonitorOutlined />, testId: 'monitors-nav-monitors' },
  { value: '/monitors/alerts', label: 'Alerts', icon: <AlertOutlined />, testId: 'monitors-nav-alerts' },
]

/** The monitors' pages share a sub-navigation: every monitor, and what is alerting now. */
export function MonitorsSection() {
  return <SectionNav sections={SECTIONS} fallback="/monitors" testId="monitors-nav" />
}
