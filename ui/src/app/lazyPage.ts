import type { ComponentType } from 'react'
import type { RouteObject } from 'react-router'

/**
 * A page loaded when first visited, so the first screen downloads only its own code
 * (the monitor editor's SQL editor, the chart library...). `name` is the page's export.
 */
export function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): RouteObject['lazy'] {
  return async () => ({ Component: (await load())[name] as ComponentType })
}
