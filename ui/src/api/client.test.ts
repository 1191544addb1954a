import { describe, expect, it } from 'vitest'
import { unwrap } from './client'
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
