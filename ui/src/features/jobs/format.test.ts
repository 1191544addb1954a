import { describe, expect, it } from 'vitest'
import { actionOutcome, bulkOutcome, count, duration, jobsPath } from './format'

describe('duration', () => {
  it('reads like a person says it', () => {
    expect(duration(null)).toBe('—')
    expect(duration(4.4)).toBe('4 s')
    expect(duration(125)).toBe('2 min')
    expect(duration(3 * 3600)).toBe('3 h')
    expect(duration(2 * 3600 + 5 * 60)).toBe('2 h 5 min')
    expect(duration(5 * 86400)).toBe('5 d')
  })
})

describe('count and paths', () => {
  it('groups thousands and says when a count is not kept', () => {
    expect(count(100000)).toBe('100,000')
    expect(count(null)).toBe('—')
  })

  it('encodes service names in links', () => {
    expect(jobsPath('billing')).toBe('/jobs/billing')
    expect(jobsPath('a b', 3, 'dead')).toBe('/jobs/a%20b/3?view=dead')
  })
})

describe('bulkOutcome', () => {
  const result = { action: 'retry' as const, matched: 0, done: 1200, moved: 0, skipped: 0, complete: true, stopped: null, job_ids: [] }
  it('says what was done', () => {
    expect(bulkOutcome(result)).toBe('1,200 jobs put back on their queues')
  })
  it('says what was skipped and why it stopped', () => {
    expect(bulkOutcome({ ...result, moved: 2, skipped: 1, complete: false, stopped: 'the time budget ran out after 1200 jobs; run it again' })).toBe(
      '1,200 jobs put back on their queues, 2 had moved, 1 could not be (their payload is broken or their data gone); the time budget ran out after 1200 jobs; run it again',
    )
  })
})

describe('actionOutcome', () => {
  const result = { action: 'retry' as const, ref: 'r', job: 'billing.charge', job_id: 'a', enqueued_to: 'celery', new_job_id: 'b' }
  it('says a retried job waits for a worker, under the id it has now', () => {
    expect(actionOutcome('retry', result)).toBe(
      'Retried: billing.charge, now job b, waits on queue celery for a worker; if it fails again it comes back under Retry or Dead',
    )
  })
  it('says what a delete did', () => {
    expect(actionOutcome('delete', { ...result, action: 'delete', enqueued_to: null, new_job_id: null })).toBe('Deleted: billing.charge')
  })
})
