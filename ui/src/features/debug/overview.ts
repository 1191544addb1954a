import type { EndpointStatus } from './types'

function rank(endpoint: EndpointStatus): number {
  if (!endpoint.last_run) return 2
  return endpoint.last_run.failed ? 0 : 1
}

/** The endpoints whose last run failed first, then those that went through, then those
 * never run; the most recent run first within each, then by service and name. */
export function overviewOrder(endpoints: readonly EndpointStatus[]): EndpointStatus[] {
  return [...endpoints].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (b.last_run?.started_at ?? '').localeCompare(a.last_run?.started_at ?? '') ||
      a.service.localeCompare(b.service) ||
      a.name.localeCompare(b.name),
  )
}

/** The services the endpoints belong to, each once, in name order (the filter's choices). */
export function servicesOf(endpoints: readonly EndpointStatus[]): string[] {
  return [...new Set(endpoints.map((endpoint) => endpoint.service))].sort()
}
