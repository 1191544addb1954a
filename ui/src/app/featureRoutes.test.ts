import { describe, expect, it } from 'vitest'
import { collectFeatureRoutes } from './featureRoutes'

describe('collectFeatureRoutes', () => {
  it('mounts a new feature folder with no other edit', () => {
    const routes = collectFeatureRoutes({
      '../features/catalog/routes.tsx': { routes: [{ path: 'catalog' }] },
      '../features/hello/routes.tsx': { routes: [{ path: 'hello', children: [{ index: true }] }] },
    })
    expect(routes.map((route) => route.path)).toEqual(['catalog', 'hello'])
  })

  it('refuses two features that claim the same page', () => {
    expect(() =>
      collectFeatureRoutes({
        '../features/a/routes.tsx': { routes: [{ path: 'jobs' }] },
        '../features/b/routes.tsx': { routes: [{ path: 'jobs' }] },
      }),
    ).toThrow("../features/b/routes.tsx and ../features/a/routes.tsx both claim the page 'jobs'")
  })

})
