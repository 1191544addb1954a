/** The one HTTP client of the UI: typed from the backend's OpenAPI by openapi-fetch. */
import createClient, { type Middleware } from 'openapi-fetch'
import { csrfMiddleware } from './csrf'
import { ApiError, toProblem } from './errors'
import type { paths } from './schema'

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })

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
    throw new ApiError({
      title: 'Cannot reach the Gyrfalcon API',
      status: 0,
      detail: cause instanceof Error ? cause.message : String(cause),
    })
  }
  const { data, error, response } = answer
  if (!response.ok) {
    throw new ApiError(toProblem(response.status, response.statusText, error, response.headers.get('X-Request-ID')))
  }
  return data as D
}
