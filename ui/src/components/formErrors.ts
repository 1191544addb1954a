import type { FormInstance } from 'antd'
import { problemOf, problemToFormErrors } from '../api/errors'

/**
 * Shows a failed request's field errors on the form's fields. Returns what could
 * not be placed on a field (to show in an Alert above the form).
 */
export interface AppliedProblem {
  error: unknown
  /** Messages no field could show. */
  messages: string[]
  /** Whether some message was placed on a field. */
  placed: boolean
}

export function applyProblemToForm(form: FormInstance, error: unknown, nested: string[] = []): AppliedProblem {
  const problem = problemOf(error)
  const registered = Object.keys(form.getFieldsValue() as Record<string, unknown>)
  const { fields, other } = problemToFormErrors(problem, registered, nested)
  if (fields.length === 0 && problem.status === 409 && registered.includes('name')) {
    form.setFields([{ name: ['name'], errors: [problem.detail ?? problem.title] }])
    return { error, messages: [], placed: true }
  }
  if (fields.length > 0) form.setFields(fields)
  return { error, messages: other, placed: fields.length > 0 }
}
