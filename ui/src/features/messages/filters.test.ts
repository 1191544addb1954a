import { describe, expect, it } from 'vitest'
import {
  EMPTY_FILTERS,
  exportHref,
  filtersFromParams,
  filtersToParams,
  isFiltered,
  searchQuery,
  tailIgnores,
  tailKeeps,
  tailUrl,
  tailWhere,
  usableWhere,
  type BrowserFilters,
} from './filters'
import type { MessageSummary } from './types'

const search: BrowserFilters = {
  ...EMPTY_FILTERS,
  subscription: 3,
  since: '2026-03-01T10:00:00.000Z',
  key: 'o-1',
  header: 'trace-id',
  headerValue: 't-9',
  field: 'order.id',
  value: 'O-10',
  match: 'prefix',
  where: [{ field: 'order.total.units', op: 'gt', value: '100' }],
}

describe('filters in the address', () => {
  it('round-trips every filter, keeping the other parameters', () => {
    const params = filtersToParams(search, new URLSearchParams('open=3.0.42&service=old'))
    expect(params.get('open')).toBe('3.0.42')
    expect(params.get('service')).toBeNull()
    expect(params.get('where')).toBe('[{"field":"order.total.units","op":"gt","value":"100"}]')
    expect(filtersFromParams(params)).toEqual(search)
  })

  it('leaves the defaults and the unset filters out', () => {
    expect(filtersToParams({ ...EMPTY_FILTERS, subscription: 3 }).toString()).toBe('subscription=3')
    expect(filtersToParams({ ...EMPTY_FILTERS, field: 'order.id' }).toString()).toBe('')
    expect(filtersToParams({ ...EMPTY_FILTERS, headerValue: 'x' }).toString()).toBe('')
  })

  it('reads malformed parameters as unset', () => {
    const read = filtersFromParams(new URLSearchParams('subscription=x&partition=-1&since=yesterday&match=fuzzy&where=nope'))
    expect(read).toEqual(EMPTY_FILTERS)
  })

  it('keeps the well-formed filter rows of a hand-made where', () => {
    const where = JSON.stringify([{ field: 'kind', op: 'exists' }, { op: 'eq', value: 'x' }, { field: 'order.id', op: 'weird', value: 7 }])
    expect(filtersFromParams(new URLSearchParams({ where })).where).toEqual([
      { field: 'kind', op: 'exists' },
      { field: 'order.id', op: 'eq', value: '7' },
    ])
  })
})

describe('filter rows', () => {
  it('sends only rows with a field, and a value when the operator compares', () => {
    expect(
      usableWhere([
        { field: ' order.id ', op: 'eq', value: 'O-1' },
        { field: '', op: 'eq', value: 'x' },
        { field: 'kind', op: 'eq', value: '' },
        { field: 'iban', op: 'missing', value: 'ignored' },
      ]),
    ).toEqual([
      { field: 'order.id', op: 'eq', value: 'O-1' },
      { field: 'iban', op: 'missing' },
    ])
  })

  it('tells a filtered search from browsing', () => {
    expect(isFiltered({ ...EMPTY_FILTERS, subscription: 3, service: 'orders' })).toBe(false)
    expect(isFiltered({ ...EMPTY_FILTERS, where: [{ field: 'kind', op: 'eq', value: '' }] })).toBe(false)
    expect(isFiltered({ ...EMPTY_FILTERS, key: 'k' })).toBe(true)
  })
})

describe('the search query', () => {
  it('names the parameters as the API does, numbers as numbers', () => {
    expect(searchQuery({ ...search, partition: 0, offsetMin: 10 }, 50)).toEqual({
      limit: 50,
      subscription: 3,
      since: '2026-03-01T10:00:00.000Z',
      partition: 0,
      offset_min: 10,
      key: 'o-1',
      header: 'trace-id',
      header_value: 't-9',
      field: 'order.id',
      value: 'O-10',
      match: 'prefix',
      where: '[{"field":"order.total.units","op":"gt","value":"100"}]',
    })
  })

  it('makes the export link of the same search', () => {
    expect(exportHref({ ...EMPTY_FILTERS, subscription: 3, key: 'a b' }, 'csv')).toBe('/api/v1/messages/export?format=csv&subscription=3&key=a+b')
  })
})

describe('the live tail', () => {
  it('turns the indexed-field search into a field filter', () => {
    expect(tailWhere(search)).toEqual([
      { field: 'order.total.units', op: 'gt', value: '100' },
      { field: 'order.id', op: 'prefix', value: 'O-10' },
    ])
    expect(tailUrl(3, EMPTY_FILTERS)).toBe('/api/v1/messages/tail?subscription=3')
    expect(new URLSearchParams(tailUrl(3, search).split('?')[1]).get('where')).toContain('"order.id"')
  })

  it('checks the key, partition and offsets itself, and says what it cannot apply', () => {
    const message = { key: 'o-1', partition: 1, offset: 5 } as MessageSummary
    expect(tailKeeps({ ...EMPTY_FILTERS, key: 'o-1', partition: 1, offsetMin: 5 })(message)).toBe(true)
    expect(tailKeeps({ ...EMPTY_FILTERS, key: 'o-2' })(message)).toBe(false)
    expect(tailKeeps({ ...EMPTY_FILTERS, offsetMax: 4 })(message)).toBe(false)
    expect(tailIgnores(search)).toEqual(['the time range', 'the header'])
    expect(tailIgnores(EMPTY_FILTERS)).toEqual([])
  })
})
