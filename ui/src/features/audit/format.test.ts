import { describe, expect, it } from 'vitest'
import type { AuditChange } from '../../api/types'
import {
  actionColor,
  actionVerb,
  auditQuery,
  compactJson,
  EMPTY_FILTERS,
  filtersFromParams,
  historyPath,
  isFiltered,
  jsonLines,
  markOf,
  stateAt,
} from './format'

describe('filters in the address', () => {
  it('reads every filter, trimmed, empty when missing', () => {
    const filters = filtersFromParams(new URLSearchParams('actor=admin&action=service.update&object_id=%207%20&page=3'))
    expect(filters).toEqual({ ...EMPTY_FILTERS, actor: 'admin', action: 'service.update', object_id: '7' })
    expect(isFiltered(filters)).toBe(true)
    expect(isFiltered(filtersFromParams(new URLSearchParams('page=2')))).toBe(false)
  })

  it('sends only the filters that are set', () => {
    expect(auditQuery({ ...EMPTY_FILTERS, object_type: 'service', since: '2024-01-01T00:00:00.000Z' }, 50, 100)).toEqual({
      limit: 50,
      offset: 100,
      object_type: 'service',
      since: '2024-01-01T00:00:00.000Z',
    })
  })

  it('links to an object history', () => {
    expect(historyPath('service', '12')).toBe('/audit/history?object_type=service&object_id=12')
    expect(historyPath('a b', 'x&y')).toBe('/audit/history?object_type=a+b&object_id=x%26y')
  })
})

describe('tags and values', () => {
  it('colours actions by verb', () => {
    expect(actionVerb('service.update')).toBe('update')
    expect(actionVerb('plain')).toBe('plain')
    expect(actionColor('service.create')).toBe('green')
    expect(actionColor('team.delete')).toBe('red')
    expect(actionColor('auth.login_failed')).toBe('volcano')
    expect(actionColor('role.update')).toBe('blue')
    expect(actionColor('x.other')).toBe('default')
  })

  it('prints JSON compactly and cuts long values', () => {
    expect(compactJson('a')).toBe('"a"')
    expect(compactJson(null)).toBe('null')
    expect(compactJson({ a: [1, 2] })).toBe('{"a":[1,2]}')
    expect(compactJson(undefined)).toBe('')
    const long = compactJson('x'.repeat(500), 20)
    expect(long).toHaveLength(20)
    expect(long.endsWith('…')).toBe(true)
  })

  it('shows the state after a record, or before it for a delete', () => {
    expect(stateAt({ before: { a: 1 }, after: { a: 2 } })).toEqual({ side: 'after', snapshot: { a: 2 } })
    expect(stateAt({ before: { a: 1 }, after: null })).toEqual({ side: 'before', snapshot: { a: 1 } })
    expect(stateAt({ before: null, after: null })).toBeNull()
  })
})

describe('snapshot lines', () => {
  it('pretty-prints with the path of each value', () => {
    const lines = jsonLines({ name: 'orders', links: [{ url: 'u' }], tags: [], n: null })
    expect(lines.map((l) => [l.depth, l.path, l.key ?? null, l.text, l.comma])).toEqual([
      [0, '', null, '{', false],
      [1, 'name', 'name', '"orders"', true],
      [1, 'links', 'links', '[', false],
      [2, 'links.0', null, '{', false],
      [3, 'links.0.url', 'url', '"u"', false],
      [2, 'links.0', null, '}', false],
      [1, 'links', null, ']', true],
      [1, 'tags', 'tags', '[]', true],
      [1, 'n', 'n', 'null', false],
      [0, '', null, '}', false],
    ])
  })

  const changes: AuditChange[] = [
    { path: 'team', change: 'changed', old: 'a', new: 'b' },
    { path: 'links.0.url', change: 'changed', old: 'x', new: 'y' },
    { path: 'tags', change: 'added', new: ['t'] },
    { path: 'description', change: 'removed', old: 'gone' },
  ]

  it('marks changed paths, what lies inside them, and their parents', () => {
    expect(markOf('team', changes, 'before')).toBe('changed')
    expect(markOf('team', changes, 'after')).toBe('changed')
    expect(markOf('links.0.url', changes, 'after')).toBe('changed')
    expect(markOf('links', changes, 'after')).toBe('inside')
    expect(markOf('links.0', changes, 'before')).toBe('inside')
    expect(markOf('tags.0', changes, 'after')).toBe('added')
    expect(markOf('name', changes, 'after')).toBeNull()
    expect(markOf('', changes, 'after')).toBeNull()
    expect(markOf('teams', changes, 'after')).toBeNull()
  })

  it('shows an added value only after, a removed one only before', () => {
    expect(markOf('tags', changes, 'before')).toBeNull()
    expect(markOf('tags', changes, 'after')).toBe('added')
    expect(markOf('description', changes, 'before')).toBe('removed')
    expect(markOf('description', changes, 'after')).toBeNull()
  })
})
