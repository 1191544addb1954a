import { describe, expect, it } from 'vitest'
import { visibleDetails } from './TestResultView'

describe('test result facts', () => {
  it('leaves out empty facts and the exception class', () => {
    expect(visibleDetails({ error: 'OperationalError', auth_methods: [], server: 'Postfix', tls: null, version: '15.4' })).toEqual([
      ['server', 'Postfix'],
      ['version', '15.4'],
    ])
  })
})
