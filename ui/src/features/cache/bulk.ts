/** The states of a bulk delete, as the list, the progress and the actions read them. */
import type { BulkDelete } from './types'

export const BULK_STATE_COLORS: Record<string, string> = {
  running: 'processing',
  done: 'green',
  partial: 'orange',
  cancelled: 'default',
}

export const BULK_STATE_HINTS: Record<string, string> = {
  running: 'A background worker deletes the keys in batches',
  done: 'Every matching key was deleted',
  partial: 'It stopped before the end: see the reason; it can go on from where it stopped',
  cancelled: 'Stopped by hand; it can go on from where it stopped',
}

export function isRunning(job: Pick<BulkDelete, 'state'>): boolean {
  return job.state === 'running'
}

/** A stopped job goes on from its cursors. */
export function canResume(job: Pick<BulkDelete, 'state'>): boolean {
  return job.state === 'partial' || job.state === 'cancelled'
}

/** It stopped at the maximum confirmed: going on needs a larger one. */
export function reachedMaximum(job: Pick<BulkDelete, 'deleted' | 'max_keys'>): boolean {
  return job.deleted >= job.max_keys
}

/** Deleted of the maximum, 0 to 100 (a job may end below its maximum: done is 100). */
export function progressPercent(job: Pick<BulkDelete, 'state' | 'deleted' | 'max_keys'>): number {
  if (job.state === 'done') return 100
  if (job.max_keys <= 0) return 0
  return Math.min(100, Math.floor((100 * job.deleted) / job.max_keys))
}

/** A new maximum to offer when the old one was reached: twice as many again. */
export function suggestedMaximum(job: Pick<BulkDelete, 'deleted' | 'max_keys'>): number {
  return Math.max(job.deleted + 1, job.max_keys * 2)
}
