/**
 * The one HTTP client of the UI, typed from the backend's OpenAPI: `api` (openapi-fetch)
 * for calls, and `$api` (openapi-react-query) for the typed query hooks pages use
 * (`$api.useQuery('get', '/api/v1/users', { params })`), keyed `[method, path, init]`.
 * Every failure rejects with an ApiError carrying the problem.
 */
import type { QueryClient } from '@tanstack/react-query'
import createClient, { type Middleware } from 'openapi-fetch'
import createQueryClient from 'openapi-react-query'
import { csrfMiddleware } from './csrf'
import { ApiError, toProblem } from './errors'
import type { paths } from './schema'

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })

function unreachable(cause: unknown): ApiError {
  return new ApiError({
    title: 'Cannot reach the Gyrfalcon API',
    status: 0,
    detail: cause instanceof Error ? cause.message : String(cause),
  })
}

/** Turns an error answer into an ApiError with its problem, and a network failure into
 * a status 0 one. Registered first, so it runs after every other middleware has seen
 * the answer. */
export const problems: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined
    const text = await response.clone().text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // Not JSON: the text itself describes the failure.
    }
    throw new ApiError(toProblem(response.status, response.statusText, body, response.headers.get('X-Request-ID')))
  },
  onError({ error }) {
    // A cancelled request (a query no longer needed) stays an AbortError.
    if (error instanceof DOMException && error.name === 'AbortError') return undefined
    return unreachable(error)
  },
}
api.use(problems)
api.use(csrfMiddleware(() => (typeof document === 'undefined' ? '' : document.cookie)))

type UnauthorizedHandler = () => void
let onUnauthorized: UnauthorizedHandler = () => {}

/** Called when any request other than login answers 401 (the session ended). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler
}

const sessionWatch: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url, 'http://x').pathname.endsWith('/auth/login')) {
      onUnauthorized()
    }
    return undefined
  },
}
api.use(sessionWatch)

interface Answer<D> {
  data?: D
  error?: unknown
  response: Response
}

/** The data of a successful answer; throws ApiError (with the problem) otherwise. */
export async function unwrap<D>(pending: Promise<Answer<D>>): Promise<D> {
  let answer: Answer<D>
  try {
    answer = await pending
  } catch (cause) {
    throw cause instanceof ApiError ? cause : unreachable(cause)
  }
  const { data, error, response } = answer
  if (!response.ok) {
    throw new ApiError(toProblem(response.status, response.statusText, error, response.headers.get('X-Request-ID')))
  }
  return data as D
}

export const $api = createQueryClient(api)

/** Marks stale every `$api.useQuery('get', path, ...)` whose path is one of `prefixes`
 * or lies under one (`/api/v1/services` covers `/api/v1/services/{service}`). */
export function invalidatePaths(client: QueryClient, ...prefixes: (keyof paths)[]): Promise<void> {
  return client.invalidateQueries({
    predicate: ({ queryKey: [method, path] }) =>
      method === 'get' && typeof path === 'string' && prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)),
  })
}
