import { describe, expect, it } from 'vitest'
import { problems, unwrap } from './client'
import { ApiError } from './errors'

describe('unwrap', () => {
  it('returns the data of a success', async () => {
    await expect(unwrap(Promise.resolve({ data: { ok: true }, response: new Response('{}', { status: 200 }) }))).resolves.toEqual({ ok: true })
  })

  it('throws the problem of a failure', async () => {
    const problem = { title: 'Conflict', status: 409, detail: "A service named 'x' already exists.", request_id: 'r1' }
    const failing = unwrap(Promise.resolve({ error: problem, response: new Response(null, { status: 409 }) }))
    await expect(failing).rejects.toBeInstanceOf(ApiError)
    await expect(failing).rejects.toMatchObject({ status: 409, problem })
  })

  it('turns a network failure into a status 0 problem', async () => {
    const failing = unwrap(Promise.reject(new TypeError('Failed to fetch')))
    await expect(failing).rejects.toMatchObject({ status: 0, problem: { detail: 'Failed to fetch' } })
  })
})

describe('problems middleware', () => {
  const request = new Request('http://x/api/v1/services')
  const call = (response: Response) =>
    problems.onResponse?.({ request, response, schemaPath: '', params: {}, options: {} as never, id: '1' })

  it('lets a success through', async () => {
    await expect(call(new Response('{}', { status: 200 }))).resolves.toBeUndefined()
  })

  it('rejects an error answer with its problem and request id', async () => {
    const body = JSON.stringify({ title: 'Not found', status: 404, detail: "No service named 'x'." })
    const answer = new Response(body, { status: 404, headers: { 'X-Request-ID': 'r9' } })
    await expect(call(answer)).rejects.toMatchObject({ status: 404, problem: { detail: "No service named 'x'.", request_id: 'r9' } })
  })

  it('reads a text answer as the detail', async () => {
    await expect(call(new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' }))).rejects.toMatchObject({
      status: 502,
      problem: { title: 'Bad Gateway', detail: 'bad gateway' },
    })
  })
})
