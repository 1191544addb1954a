import { lazy, Suspense } from 'react'
import { Skeleton, Tag } from 'antd'
import type { Service } from '../../api/types'
import type { ServiceTab } from '../../app/serviceTabs'

// Loaded when the tab is first opened: the service page does not carry the waterfall's code.
const ServiceDebugTab = lazy(() => import('./ServiceDebugTab').then((module) => ({ default: module.ServiceDebugTab })))

function DebugTab({ service }: { service: Service }) {
  return (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
      <ServiceDebugTab service={service} />
    </Suspense>
  )
}

export const serviceTabs: ServiceTab[] = [
  {
    key: 'debug',
    order: 10,
    label: (service) => (
      <span data-testid="tab-debug">
        Debug <Tag style={{ marginInlineStart: 4, marginInlineEnd: 0 }}>{service.connections.debug_endpoints}</Tag>
      </span>
    ),
    visible: (service, permissions) => permissions.can('debug', 'read', service),
    Tab: DebugTab,
  },
]
