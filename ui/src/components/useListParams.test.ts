import { describe, expect, it } from 'vitest'
import { pageOf, withPage, withValues } from './useListParams'

describe('list parameters in the address', () => {
  it('sets and removes filters and goes back to page 1', () => {
    const next = withValues(new URLSearchParams('q=old&team=ops&page=3'), { q: 'orders', team: '' })
    expect(next.toString()).toBe('q=orders')
  })

  it('returns the same object when nothing changes, so nothing navigates', () => {
    const search = new URLSearchParams('q=orders&page=2')
    expect(withValues(search, { q: 'orders', team: undefined })).toBe(search)
  })

  it('keeps page 1 out of the address', () => {
    expect(withPage(new URLSearchParams('q=a'), 2).toString()).toBe('q=a&page=2')
    expect(withPage(new URLSearchParams('q=a&page=2'), 1).toString()).toBe('q=a')
  })

  it('reads a bad page number as the first page', () => {
    expect(pageOf(new URLSearchParams('page=x'))).toBe(1)
    expect(pageOf(new URLSearchParams('page=-4'))).toBe(1)
    expect(pageOf(new URLSearchParams('page=7'))).toBe(7)
  })
})
