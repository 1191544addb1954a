import { describe, expect, it } from 'vitest'
import { describeCondition, sourceFor } from './conditionText'

const base = { kind: 'threshold' as const, value: 'first_cell' as const, operator: '>' as const, threshold: 0, consecutive: 1 }

describe('describeCondition', () => {
  it('words the condition as the backend does', () => {
    expect(describeCondition(base)).toBe('first cell > 0')
    expect(describeCondition({ ...base, value: 'row_count', operator: '>=', threshold: 10 })).toBe('row count >= 10')
    expect(describeCondition({ ...base, value: 'column', column: 'total' })).toBe('column total > 0')
    expect(describeCondition({ ...base, value: 'json_path', json_path: '$.queue.depth', consecutive: 3 })).toBe('$.queue.depth > 0, 3 times in a row')
    expect(describeCondition({ ...base, value: 'status_code', operator: '!=', threshold: 200 })).toBe('status code != 200')
    expect(describeCondition({ ...base, operator: '==', threshold: 'stuck' })).toBe('first cell == "stuck"')
    expect(describeCondition({ ...base, kind: 'any_rows' })).toBe('any row returned')
  })
})

describe('sourceFor', () => {
  it('keeps a source that fits the type, else takes the first of the type', () => {
    expect(sourceFor('sql', 'row_count')).toBe('row_count')
    expect(sourceFor('http', 'row_count')).toBe('json_path')
    expect(sourceFor('sql', 'status_code')).toBe('first_cell')
  })
})
