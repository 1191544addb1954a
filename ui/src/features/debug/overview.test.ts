import { describe, expect, it } from 'vitest'
import { overviewOrder, servicesOf } from './overview'
import type { EndpointStatus, RunSummary } from './types'

function run(failed: boolean, startedAt: string): RunSummary {
  return {
    id: 1,
    service: 's',
    endpoint_id: 1,
    endpoint: 'e',
    actor: 'admin',
    started_at: startedAt,
    method: 'GET',
    path: '/debug',
    duration_ms: 10,
    http_status: 200,
    outcome: 'trace',
    failed,
    message: '',
    span_count: 1,
    failed_spans: 0,
  }
}

function endpoint(id: number, service: string, lastRun: RunSummary | null): EndpointStatus {
  return { id, service, name: `e${id}`, description: '', method: 'GET', path: '/debug', last_run: lastRun }
}

describe('overviewOrder', () => {
  it('puts failed runs first, then runs that went through, then endpoints never run', () => {
    const ordered = overviewOrder([
      endpoint(1, 'b', null),
      endpoint(2, 'a', run(false, '2026-03-01T10:00:00Z')),
      endpoint(3, 'a', run(true, '2026-03-01T09:00:00Z')),
      endpoint(4, 'c', run(true, '2026-03-01T11:00:00Z')),
      endpoint(5, 'a', null),
    ])
    expect(ordered.map((item) => item.id)).toEqual([4, 3, 2, 5, 1])
  })
})

describe('servicesOf', () => {
  it('lists each service once, by name', () => {
    expect(servicesOf([endpoint(1, 'b', null), endpoint(2, 'a', null), endpoint(3, 'b', null)])).toEqual(['a', 'b'])
  })
})
