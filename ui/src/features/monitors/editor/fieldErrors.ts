/**
 * Puts the API's field errors (dotted paths of the definition, e.g.
 * "condition.threshold", "schedule.every_seconds", "notify.emails.0") on the
 * editor's form fields, whose names differ in places from the body's.
 */
import type { FormInstance } from 'antd'
import { problemOf, type FieldPath } from '../../../api/errors'
import type { AppliedProblem } from '../../../components/formErrors'
import type { MonitorType } from './model'

const TOP = ['service', 'name', 'description', 'severity', 'enabled', 'runbook_url', 'type', 'timeout_seconds']
const SQL_ONLY = ['datasource', 'query']
const CONDITION = ['kind', 'value', 'column', 'json_path', 'operator', 'threshold', 'consecutive']

/** The form field that shows an error at `field`, or null when none does (for this type). */
export function formFieldOf(field: string, type: MonitorType): FieldPath | null {
  const [head, second] = field.split('.').filter((part) => part !== '' && part !== 'body')
  if (head === undefined) return null
  if (TOP.includes(head)) return [head]
  if (SQL_ONLY.includes(head)) return type === 'sql' ? [head] : null
  if (head === 'http') {
    if (type !== 'http') return null
    if (second === 'headers' || second === 'secret_headers') return ['http', second]
    if (second === 'method' || second === 'body') return ['http', second]
    return ['http', 'path']
  }
  if (head === 'schedule') {
    if (second === 'cron' || second === 'timezone') return ['schedule', second]
    return ['schedule', 'every']
  }
  if (head === 'condition') {
    return ['condition', second && CONDITION.includes(second) ? second : 'value']
  }
  if (head === 'notify') {
    if (second === 'emails' || second === 'on_error' || second === 'renotify_minutes') return ['notify', second]
    return ['notify', 'channels']
  }
  return null
}

/** Shows a failed request's field errors on the form; returns what no field could show. */
export function applyEditorProblem(form: FormInstance, error: unknown, type: MonitorType): AppliedProblem {
  const problem = problemOf(error)
  const byField = new Map<string, { name: FieldPath; errors: string[] }>()
  const other: string[] = []
  for (const { field, message } of problem.errors ?? []) {
    const name = formFieldOf(field, type)
    if (!name) {
      other.push(field && field !== 'body' ? `${field}: ${message}` : message)
      continue
    }
    const entry = byField.get(name.join('.')) ?? { name, errors: [] }
    entry.errors.push(message)
    byField.set(name.join('.'), entry)
  }
  // A name clash (409) has no field path, but it is about the name.
  if (byField.size === 0 && problem.status === 409) {
    byField.set('name', { name: ['name'], errors: [problem.detail ?? problem.title] })
  }
  const fields = [...byField.values()]
  if (fields.length > 0) form.setFields(fields)
  return { error, messages: other, placed: fields.length > 0 }
}
