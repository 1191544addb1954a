import { Card } from 'antd'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { ConnectionsPanel } from './connections/ConnectionsPanel'
import { kafkaClusterKind } from './connections/kinds/kafkaClusters'
import { notificationChannelKind } from './connections/kinds/notificationChannels'
import { NEEDS_CATALOG_WRITE_EVERYWHERE } from '../auth/permissions'
import { usePermissions } from '../auth/queries'

export function KafkaClustersPage() {
  usePageTitle({ title: 'Service catalog', path: '/catalog' }, { title: 'Kafka clusters' })
  const permissions = usePermissions()
  const canWrite = permissions.can('catalog', 'write')
  const canSeeHistory = permissions.can('audit', 'read')
  return (
    <div data-testid="kafka-clusters-page">
      <PageHeading title="Kafka clusters" subtitle="Shared by every service: register each cluster once and test it from here." />
      <Card>
        <ConnectionsPanel kind={kafkaClusterKind} service={null} canWrite={canWrite} deniedReason={NEEDS_CATALOG_WRITE_EVERYWHERE} canSeeHistory={canSeeHistory} />
      </Card>
    </div>
  )
}

export function NotificationChannelsPage() {
  usePageTitle({ title: 'Service catalog', path: '/catalog' }, { title: 'Notification channels' })
  const permissions = usePermissions()
  const canWrite = permissions.can('catalog', 'write')
  const canSeeHistory = permissions.can('audit', 'read')
  return (
    <div data-testid="notification-channels-page">
      <PageHeading title="Notification channels" subtitle="Where Gyrfalcon sends alerts. Test a channel to send a test message." />
      <Card>
        <ConnectionsPanel kind={notificationChannelKind} service={null} canWrite={canWrite} deniedReason={NEEDS_CATALOG_WRITE_EVERYWHERE} canSeeHistory={canSeeHistory} />
      </Card>
    </div>
  )
}
