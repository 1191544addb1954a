import type { ComponentType } from 'react'
import type { Service } from '../api/types'

/** A card another module adds to a service's page (its monitors, later its jobs...). */
export interface ServicePanel {
  key: string
  order: number
  Panel: ComponentType<{ service: Service }>
}

/** What a feature folder's `servicePanels.tsx` exports. */
export interface FeatureServicePanels {
  servicePanels: ServicePanel[]
}

/** Every feature's service panels, in their order; a module adds one with a
 * `servicePanels.tsx` in its folder, nothing else to edit. */
export function collectServicePanels(found: Record<string, FeatureServicePanels>): ServicePanel[] {
  return Object.keys(found)
    .sort()
    .flatMap((file) => found[file].servicePanels)
    .sort((a, b) => a.order - b.order)
}

export const SERVICE_PANELS = collectServicePanels(
  import.meta.glob<FeatureServicePanels>('../features/*/servicePanels.tsx', { eager: true }),
)
