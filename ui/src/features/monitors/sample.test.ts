import { describe, expect, it } from 'vitest'
import { cellText, parseSample, prettyBody } from './sample'

describe('samples', () => {
  it('reads SQL rows', () => {
    expect(parseSample({ columns: ['id', 'status'], rows: [[1, 'unpaid'], 'junk'], truncated: true })).toEqual({
      kind: 'sql',
      columns: ['id', 'status'],
      rows: [[1, 'unpaid']],
      truncated: true,
    })
  })

  it('reads an HTTP response', () => {
    expect(parseSample({ status: 500, content_type: 'text/plain', body: 'boom' })).toEqual({
      kind: 'http',
      status: 500,
      contentType: 'text/plain',
      body: 'boom',
      truncated: false,
    })
  })

  it('gives up on nothing or another shape', () => {
    expect(parseSample(null)).toBeNull()
    expect(parseSample({ something: 'else' })).toBeNull()
  })

  it('shows cells as SQL tools do', () => {
    expect(cellText(null)).toBe('NULL')
    expect(cellText({ a: 1 })).toBe('{"a":1}')
    expect(cellText(2.5)).toBe('2.5')
  })
})

describe('prettyBody', () => {
  it('pretty-prints JSON bodies only', () => {
    expect(prettyBody('{"a":1}', 'application/json')).toBe('{\n  "a": 1\n}')
    expect(prettyBody('{"a":1', 'application/json')).toBe('{"a":1')
    expect(prettyBody('<html>', 'text/html')).toBe('<html>')
  })
})
