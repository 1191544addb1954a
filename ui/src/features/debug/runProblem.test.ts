import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/errors'
import { runProblem } from './runProblem'

describe('runProblem', () => {
  it('puts each parameter error at its field, and the rest above the form', () => {
    const error = new ApiError({
      title: 'Invalid input',
      status: 422,
      errors: [
        { field: 'parameters.order_id', message: '0 is less than the minimum of 1' },
        { field: 'parameters.skus.2', message: "'x' is not of type 'integer'" },
        { field: 'parameters', message: "'region' is a required property" },
      ],
    })
    const found = runProblem(error, ['order_id', 'skus', 'region'])
    expect(found.kind).toBe('parameters')
    expect(found.fields).toEqual([
      { name: ['order_id'], errors: ['0 is less than the minimum of 1'] },
      { name: ['skus'], errors: ["'x' is not of type 'integer'"] },
    ])
    expect(found.other).toEqual(["'region' is a required property"])
  })

  it('tells a service that is not ready from a failure', () => {
    expect(runProblem(new ApiError({ title: 'Conflict', status: 409, detail: 'shop has no base URL' }), []).kind).toBe('not-ready')
    expect(runProblem(new ApiError({ title: 'Bad Gateway', status: 502 }), []).kind).toBe('failed')
    expect(runProblem(new TypeError('offline'), []).problem.status).toBe(0)
  })
})
