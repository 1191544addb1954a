import type { ComponentType, ReactNode } from 'react'
import type { Service } from '../api/types'
import type { Permissions } from '../features/auth/queries'

/** A tab another module adds to a service's page, after its connection tabs (the debug
 * module's runs). Its key is the page's `?tab=`. */
export interface ServiceTab {
  key: string
  order: number
  label: (service: Service) => ReactNode
  /** Whether the user sees the tab at all, e.g. who may read the module on this service. */
  visible: (service: Service, permissions: Pick<Permissions, 'can'>) => boolean
  Tab: ComponentType<{ service: Service }>
}

/** What a feature folder's `serviceTabs.tsx` exports. */
export interface FeatureServiceTabs {
  serviceTabs: ServiceTab[]
}

/** Every feature's service tabs, in their order; a module adds one with a `serviceTabs.tsx`
 * in its folder, nothing else to edit. */
export function collectServiceTabs(found: Record<string, FeatureServiceTabs>): ServiceTab[] {
  return Object.keys(found)
    .sort()
    .flatMap((file) => found[file].serviceTabs)
    .sort((a, b) => a.order - b.order)
}

export const SERVICE_TABS = collectServiceTabs(import.meta.glob<FeatureServiceTabs>('../features/*/serviceTabs.tsx', { eager: true }))
