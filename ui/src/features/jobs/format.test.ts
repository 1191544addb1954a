import { describe, expect, it } from 'vitest'
import { count, duration, jobsPath } from './format'

describe('duration', () => {
  it('reads like a person says it', () => {
    expect(duration(null)).toBe('—')
    expect(duration(4.4)).toBe('4 s')
    expect(duration(125)).toBe('2 min')
    expect(duration(3 * 3600)).toBe('3 h')
    expect(duration(2 * 3600 + 5 * 60)).toBe('2 h 5 min')
    expect(duration(5 * 86400)).toBe('5 d')
  })
})

describe('count and paths', () => {
  it('groups thousands and says when a count is not kept', () => {
    expect(count(100000)).toBe('100,000')
    expect(count(null)).toBe('—')
  })

  it('encodes service names in links', () => {
    expect(jobsPath('billing')).toBe('/jobs/billing')
    expect(jobsPath('a b', 3, 'dead')).toBe('/jobs/a%20b/3?view=dead')
  })
})
