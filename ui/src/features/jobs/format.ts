import type { Breakpoint } from 'antd'
import type { ActionResult, BulkResult, JobAction, JobSetName, View } from './types'

export const NEEDS_JOBS_WRITE = 'You need the Background jobs write permission on this service'

export const VIEW_TITLES: Record<View, string> = {
  'worker-pools': 'Worker pools',
  queues: 'Queues',
  scheduled: 'Scheduled',
  retry: 'Retry',
  dead: 'Dead',
  periodic: 'Periodic',
}

/** Columns a narrow screen leaves out, so the name, the error and the counts that
 * matter fit without scrolling sideways. */
export const NOT_NARROW: Breakpoint[] = ['sm']

/** What a set's time means, as a column title. */
export const TIME_TITLES: Record<JobSetName, string> = { scheduled: 'Runs', retry: 'Next retry', dead: 'Died' }

export const ACTION_LABELS: Record<JobAction, string> = {
  retry: 'Retry now',
  run: 'Run now',
  kill: 'Kill',
  delete: 'Delete',
}

/** What happened to one job, said so that nobody reads "retried" as "ran". */
export function actionOutcome(action: JobAction, result: ActionResult): string {
  const queue = result.enqueued_to ? ` on queue ${result.enqueued_to}` : ''
  const renamed = result.new_job_id ? `, now job ${result.new_job_id},` : ''
  switch (action) {
    case 'retry':
      return `Retried: ${result.job}${renamed} waits${queue} for a worker; if it fails again it comes back under Retry or Dead`
    case 'run':
      return `Enqueued now: ${result.job} waits${queue} for a worker`
    case 'kill':
      return `Moved to Dead: ${result.job} is not retried any more`
    case 'delete':
      return `Deleted: ${result.job}`
  }
}

const BULK_DONE: Record<JobAction, string> = {
  retry: 'put back on their queues',
  run: 'enqueued now',
  kill: 'moved to Dead',
  delete: 'deleted',
}

/** Asked before an action that cannot be undone. */
export const ACTION_WARNINGS: Partial<Record<JobAction, string>> = {
  delete: 'The job is gone for good: it will not run, and cannot be brought back.',
  kill: 'The job stops being retried and moves to Dead, where it can still be retried by hand.',
}

/** "3 s", "4 min", "2 h 5 min", "3 d": how long a queue's oldest job has waited. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—'
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  return `${Math.floor(hours / 24)} d`
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US')
}

/** The JSON of a job's arguments, indented, or the cut text the server kept. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null'
}

export function jobsPath(service: string, backendId?: number, view?: View): string {
  const base = `/jobs/${encodeURIComponent(service)}`
  if (backendId === undefined) return base
  return `${base}/${backendId}${view ? `?view=${view}` : ''}`
}

/** What a bulk action did, in one sentence: done, gone, skipped, and why it stopped. */
export function bulkOutcome(result: BulkResult): string {
  const parts = [`${count(result.done)} jobs ${BULK_DONE[result.action]}`]
  if (result.moved) parts.push(`${count(result.moved)} had moved`)
  if (result.skipped) parts.push(`${count(result.skipped)} could not be (their payload is broken or their data gone)`)
  const said = parts.join(', ')
  return result.complete ? said : `${said}; ${result.stopped ?? 'it stopped early: run it again for the rest'}`
}
