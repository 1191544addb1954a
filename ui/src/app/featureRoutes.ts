import type { RouteObject } from 'react-router'

/** What a feature folder's `routes.tsx` exports: its pages, mounted inside the layout. */
export interface FeatureRoutes {
  routes: RouteObject[]
}

/**
 * Every feature's pages, from the `routes.tsx` files Vite found (sorted by folder, so
 * the order is stable). A new module's pages are a folder under `features/` with a
 * `routes.tsx`: nothing else to edit. Two features claiming the same top-level path is
 * a mistake that would hide one of them, so it throws at start-up.
 */
export function collectFeatureRoutes(found: Record<string, FeatureRoutes>): RouteObject[] {
  const claimed = new Map<string, string>()
  const routes: RouteObject[] = []
  for (const file of Object.keys(found).sort()) {
    for (const route of found[file].routes) {
      const key = route.index ? '(index)' : (route.path ?? '')
      const owner = claimed.get(key)
      if (owner) throw new Error(`${file} and ${owner} both claim the page '${key}'`)
      claimed.set(key, file)
      routes.push(route)
    }
  }
  return routes
}
