import type { Middleware } from 'openapi-fetch'

/** Cookie the backend sets at login; readable by script on purpose (double-submit CSRF). */
export const CSRF_COOKIE = 'gyrfalcon_csrf'
export const CSRF_HEADER = 'X-CSRF-Token'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The value of one cookie in a `document.cookie` style string, or null. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim()
      try {
        return decodeURIComponent(raw)
      } catch {
        return raw
      }
    }
  }
  return null
}

/** Echoes the CSRF cookie in `X-CSRF-Token` on every state-changing request. */
export function csrfMiddleware(getCookies: () => string): Middleware {
  return {
    onRequest({ request }) {
      if (SAFE_METHODS.has(request.method.toUpperCase())) return undefined
      const token = readCookie(getCookies(), CSRF_COOKIE)
      if (token) request.headers.set(CSRF_HEADER, token)
      return request
    },
  }
}
