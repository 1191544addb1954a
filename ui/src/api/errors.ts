/** RFC 9457 problem documents, as every Gyrfalcon API error is answered. */

export interface FieldProblem {
  field: string
  message: string
  /** Where in an uploaded file the problem is (a schema that does not compile). */
  file?: string | null
  line?: number | null
  column?: number | null
}

export interface Problem {
  type?: string
  title: string
  status: number
  detail?: string
  instance?: string | null
  request_id?: string | null
  errors?: FieldProblem[]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function isProblem(value: unknown): value is Problem {
  return isRecord(value) && typeof value.title === 'string' && typeof value.status === 'number'
}

function placeOf(item: Record<string, unknown>): Pick<FieldProblem, 'file' | 'line' | 'column'> {
  const place: Pick<FieldProblem, 'file' | 'line' | 'column'> = {}
  if (typeof item.file === 'string') place.file = item.file
  if (typeof item.line === 'number') place.line = item.line
  if (typeof item.column === 'number') place.column = item.column
  return place
}

function asFieldProblems(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined
  const out: FieldProblem[] = []
  for (const item of value) {
    if (isRecord(item) && typeof item.field === 'string') {
      out.push({ field: item.field, message: String(item.message ?? ''), ...placeOf(item) })
    } else if (isRecord(item) && Array.isArray(item.loc)) {
      // FastAPI's default validation shape, in case a route escapes the problem handler.
      const field = item.loc.filter((part) => part !== 'body').join('.') || 'body'
      out.push({ field, message: String(item.msg ?? '') })
    }
  }
  return out
}

/** Builds a problem from whatever an error response carried. */
export function toProblem(status: number, statusText: string, body: unknown, requestId?: string | null): Problem {
  if (isProblem(body)) {
    const errors = asFieldProblems(body.errors)
    return {
      ...body,
      request_id: body.request_id ?? requestId ?? null,
      ...(errors ? { errors } : {}),
    }
  }
  const title = statusText || (status ? `HTTP ${status}` : 'Network error')
  if (isRecord(body)) {
    const errors = asFieldProblems(body.detail)
    if (errors) {
      return { title: 'Invalid input', status, detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors, request_id: requestId ?? null }
    }
    if (typeof body.detail === 'string') return { title, status, detail: body.detail, request_id: requestId ?? null }
  }
  if (typeof body === 'string' && body.trim() && body.length < 500) {
    return { title, status, detail: body.trim(), request_id: requestId ?? null }
  }
  return { title, status, detail: `The server answered ${status} ${statusText}`.trim(), request_id: requestId ?? null }
}

export class ApiError extends Error {
  readonly problem: Problem

  constructor(problem: Problem) {
    super(problem.detail || problem.title)
    this.name = 'ApiError'
    this.problem = problem
  }

  get status(): number {
    return this.problem.status
  }
}

/** The problem behind any thrown value (network failures become status 0). */
export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem
  if (isProblem(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return { title: 'Cannot reach the Gyrfalcon API', status: 0, detail: message }
}

export type FieldPath = (string | number)[]

export interface FormErrors {
  /** Errors for fields the form shows, ready for `Form.setFields`. */
  fields: { name: FieldPath; errors: string[] }[]
  /** Messages that belong to no visible field; show them in an Alert. */
  other: string[]
}

function splitPath(field: string): FieldPath {
  return field
    .split('.')
    .filter((part) => part !== '' && part !== 'body')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

/**
 * Maps `problem.errors[].field` (dotted paths such as "base_url" or "links.0.url")
 * onto the fields of a form. `known` lists the form's top-level field names; a path
 * under a known list field (`nested`) keeps its full path, others are reported on
 * their top-level field. Anything else lands in `other`.
 */
export function problemToFormErrors(
  problem: Problem,
  known: Iterable<string>,
  nested: Iterable<string> = [],
): FormErrors {
  const knownSet = new Set(known)
  const nestedSet = new Set(nested)
  const byField = new Map<string, { name: FieldPath; errors: string[] }>()
  const other: string[] = []
  for (const { field, message } of problem.errors ?? []) {
    let path = splitPath(field)
    // A tagged union's errors are prefixed by the tag ("email.subject_template"): skip it.
    if (typeof path[0] === 'string' && !knownSet.has(path[0]) && typeof path[1] === 'string' && knownSet.has(path[1])) {
      path = path.slice(1)
    }
    const head = path[0]
    if (typeof head !== 'string' || !knownSet.has(head)) {
      other.push(field && field !== 'body' ? `${field}: ${message}` : message)
      continue
    }
    const name = nestedSet.has(head) && path.length > 1 ? path : [head]
    const key = name.join('.')
    const entry = byField.get(key) ?? { name, errors: [] }
    entry.errors.push(message)
    byField.set(key, entry)
  }
  return { fields: [...byField.values()], other }
}
