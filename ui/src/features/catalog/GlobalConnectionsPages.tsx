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
    <ConnectionsPanel
      kind={kafkaClusterKind}
      service={null}
      canWrite={canWrite}
      deniedReason={NEEDS_CATALOG_WRITE_EVERYWHERE}
      canSeeHistory={canSeeHistory}
      page={{ title: 'Kafka clusters', subtitle: kafkaClusterKind.description, testId: 'kafka-clusters-page' }}
    />
  )
}

export function NotificationChannelsPage() {
  usePageTitle({ title: 'Service catalog', path: '/catalog' }, { title: 'Notification channels' })
  const permissions = usePermissions()
  const canWrite = permissions.can('catalog', 'write')
  const canSeeHistory = permissions.can('audit', 'read')
  return (
    <ConnectionsPanel
      kind={notificationChannelKind}
      service={null}
      canWrite={canWrite}
      deniedReason={NEEDS_CATALOG_WRITE_EVERYWHERE}
      canSeeHistory={canSeeHistory}
      page={{ title: 'Notification channels', subtitle: notificationChannelKind.description, testId: 'notification-channels-page' }}
    />
  )
}
