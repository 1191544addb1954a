/** Where to go after login: only same-site paths, never back to /login. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return '/'
  return next
}

export function loginPathFor(location: { pathname: string; search: string; hash?: string }): string {
  const wanted = `${location.pathname}${location.search}${location.hash ?? ''}`
  return wanted === '/' || wanted.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(wanted)}`
}
