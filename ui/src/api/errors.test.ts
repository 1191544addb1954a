import { describe, expect, it } from 'vitest'
import { ApiError, problemOf, problemToFormErrors, toProblem, type Problem } from './errors'

const invalid: Problem = {
  type: 'about:blank',
  title: 'Invalid input',
  status: 422,
  detail: 'name: bad; base_url: bad',
  instance: '/api/v1/services',
  request_id: 'req-1',
  errors: [
    { field: 'name', message: 'String should match pattern' },
    { field: 'base_url', message: 'Input should be a valid URL' },
    { field: 'links.0.url', message: 'Input should be a valid URL' },
    { field: 'options.sslmode', message: 'must be a string' },
    { field: 'secret_sauce', message: 'Extra inputs are not permitted' },
    { field: 'body', message: 'Field required' },
  ],
}

describe('problemToFormErrors', () => {
  it('puts errors on the fields the form has', () => {
    const result = problemToFormErrors(invalid, ['name', 'base_url', 'links', 'options'], ['links'])
    expect(result.fields).toEqual([
      { name: ['name'], errors: ['String should match pattern'] },
      { name: ['base_url'], errors: ['Input should be a valid URL'] },
      { name: ['links', 0, 'url'], errors: ['Input should be a valid URL'] },
      { name: ['options'], errors: ['must be a string'] },
    ])
  })

  it('keeps what no field can show for an alert', () => {
    const result = problemToFormErrors(invalid, ['name', 'base_url', 'links', 'options'])
    expect(result.other).toEqual(['secret_sauce: Extra inputs are not permitted', 'Field required'])
  })

  it('collapses nested paths onto their top-level field unless told otherwise', () => {
    const result = problemToFormErrors(invalid, ['links'])
    expect(result.fields).toEqual([{ name: ['links'], errors: ['Input should be a valid URL'] }])
  })

  it('groups several messages for one field', () => {
    const problem: Problem = {
      title: 'Invalid input',
      status: 422,
      errors: [
        { field: 'host', message: 'required for a network database' },
        { field: 'host', message: 'too long' },
      ],
    }
    expect(problemToFormErrors(problem, ['host']).fields).toEqual([{ name: ['host'], errors: ['required for a network database', 'too long'] }])
  })

  it('skips the tag of a tagged union before the field name', () => {
    const problem: Problem = { title: 'Invalid input', status: 422, errors: [{ field: 'email.subject_template', message: "unknown variable 'nope'" }] }
    expect(problemToFormErrors(problem, ['subject_template']).fields).toEqual([{ name: ['subject_template'], errors: ["unknown variable 'nope'"] }])
    expect(problemToFormErrors(problem, ['name']).other).toEqual(["email.subject_template: unknown variable 'nope'"])
  })

  it('sends every message to other when the form has none of the fields', () => {
    const result = problemToFormErrors(invalid, [])
    expect(result.fields).toEqual([])
    expect(result.other).toHaveLength(6)
  })

  it('handles a problem without errors', () => {
    expect(problemToFormErrors({ title: 'Conflict', status: 409, detail: 'exists' }, ['name'])).toEqual({ fields: [], other: [] })
  })
})

describe('toProblem', () => {
  it('keeps a problem document as it is', () => {
    expect(toProblem(422, 'Unprocessable Entity', invalid, 'header-id')).toEqual(invalid)
  })

  it('keeps where in a file a field problem is', () => {
    const problem = toProblem(422, 'Unprocessable Entity', {
      title: 'Schema does not compile',
      status: 422,
      errors: [{ field: 'files.a.proto', message: 'a.proto:3:7: x', file: 'a.proto', line: 3, column: 7 }],
    })
    expect(problem.errors).toEqual([{ field: 'files.a.proto', message: 'a.proto:3:7: x', file: 'a.proto', line: 3, column: 7 }])
  })

  it('fills the request id from the header when the body has none', () => {
    const problem = toProblem(404, 'Not Found', { title: 'Not found', status: 404, detail: 'No service' }, 'hdr')
    expect(problem.request_id).toBe('hdr')
  })

  it("converts FastAPI's default validation body", () => {
    const problem = toProblem(422, 'Unprocessable Entity', {
      detail: [{ loc: ['body', 'name'], msg: 'Field required', type: 'missing' }],
    })
    expect(problem.status).toBe(422)
    expect(problem.errors).toEqual([{ field: 'name', message: 'Field required' }])
  })

  it('copes with bodies that are not JSON', () => {
    const problem = toProblem(502, 'Bad Gateway', '<html>proxy error</html>')
    expect(problem).toMatchObject({ status: 502, title: 'Bad Gateway' })
  })
})

describe('problemOf', () => {
  it('unwraps an ApiError', () => {
    expect(problemOf(new ApiError(invalid))).toBe(invalid)
  })

  it('turns other errors into a network problem', () => {
    expect(problemOf(new TypeError('Failed to fetch'))).toMatchObject({ status: 0, detail: 'Failed to fetch' })
  })
})
