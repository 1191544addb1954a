import { problemOf, problemToFormErrors, type FormErrors, type Problem } from '../../api/errors'

/** Why a run was refused: its parameters (422, each at its field), the service not being
 * ready for it (409: no base URL, the token not set), or anything else. */
export interface RunProblem extends FormErrors {
  problem: Problem
  kind: 'parameters' | 'not-ready' | 'failed'
}

/** The API names a parameter `parameters.<name>` (`parameters.skus.2` for a list item):
 * each goes to its field, and what names no field ("parameters" itself) above the form. */
export function runProblem(error: unknown, fieldNames: readonly string[]): RunProblem {
  const problem = problemOf(error)
  const errors = (problem.errors ?? []).map((item) => ({ ...item, field: item.field.replace(/^parameters\.?/, '') }))
  const placed = problemToFormErrors({ ...problem, errors }, fieldNames)
  const kind = problem.status === 422 ? 'parameters' : problem.status === 409 ? 'not-ready' : 'failed'
  return { ...placed, problem, kind }
}
