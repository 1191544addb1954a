import createClient, { type Middleware, type MiddlewareCallbackParams } from 'openapi-fetch'
import { describe, expect, it } from 'vitest'
import { CSRF_HEADER, csrfMiddleware, readCookie } from './csrf'
import type { paths } from './schema'

function params(request: Request): MiddlewareCallbackParams {
  return { request, schemaPath: '/x', params: {}, id: '1', options: {} as MiddlewareCallbackParams['options'] }
}

async function through(middleware: Middleware, method: string): Promise<Request> {
  const request = new Request('http://localhost/api/v1/services', { method })
  const out = await middleware.onRequest?.(params(request))
  return out instanceof Request ? out : request
}

describe('readCookie', () => {
  it('finds a cookie among others', () => {
    expect(readCookie('a=1; gyrfalcon_csrf=abc%2Fdef; b=2', 'gyrfalcon_csrf')).toBe('abc/def')
  })

  it('returns null when the cookie is absent', () => {
    expect(readCookie('a=1; b=2', 'gyrfalcon_csrf')).toBeNull()
    expect(readCookie('', 'gyrfalcon_csrf')).toBeNull()
  })

  it('does not match a cookie whose name only ends the same', () => {
    expect(readCookie('old_gyrfalcon_csrf=nope', 'gyrfalcon_csrf')).toBeNull()
  })
})

describe('csrfMiddleware', () => {
  const middleware = csrfMiddleware(() => 'session=x; gyrfalcon_csrf=tok123')

  it.each(['POST', 'PATCH', 'PUT', 'DELETE'])('sets X-CSRF-Token on %s', async (method) => {
    expect((await through(middleware, method)).headers.get(CSRF_HEADER)).toBe('tok123')
  })

  it.each(['GET', 'HEAD', 'OPTIONS'])('leaves %s alone', async (method) => {
    expect((await through(middleware, method)).headers.get(CSRF_HEADER)).toBeNull()
  })

  it('sends no header without the cookie', async () => {
    const none = csrfMiddleware(() => 'session=x')
    expect((await through(none, 'POST')).headers.get(CSRF_HEADER)).toBeNull()
  })

  it('reaches the wire through an openapi-fetch client', async () => {
    const seen: Request[] = []
    const client = createClient<paths>({
      baseUrl: 'http://localhost',
      fetch: async (request: Request) => {
        seen.push(request)
        return new Response(null, { status: 204 })
      },
    })
    client.use(csrfMiddleware(() => 'gyrfalcon_csrf=wire'))
    await client.DELETE('/api/v1/auth/tokens/{token_id}', { params: { path: { token_id: 3 } } })
    await client.GET('/api/v1/auth/tokens')
    expect(seen.map((r) => [r.method, r.headers.get(CSRF_HEADER)])).toEqual([
      ['DELETE', 'wire'],
      ['GET', null],
    ])
  })
})
