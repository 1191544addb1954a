import { describe, expect, it } from 'vitest'
import {
  changedFields,
  mapToPairs,
  pairsToMap,
  parseJsonObject,
  secretForCreate,
  secretForPatch,
  textOrNull,
  withNewSecrets,
  withSecrets,
} from './convert'

describe('secrets', () => {
  it('omits a blank secret from a create body', () => {
    expect(secretForCreate(undefined)).toBeUndefined()
    expect(secretForCreate('')).toBeUndefined()
    expect(secretForCreate(null)).toBeUndefined()
    expect(secretForCreate('s3cret')).toBe('s3cret')
  })

  it('keeps (omits) a blank secret on edit, clears with null, replaces with text', () => {
    expect(secretForPatch(undefined)).toBeUndefined()
    expect(secretForPatch('')).toBeUndefined()
    expect(secretForPatch(null)).toBeNull()
    expect(secretForPatch('new')).toBe('new')
  })

  it('adds only the secrets that change to a PATCH body', () => {
    const body = withSecrets({ name: 'db' }, { password: undefined, token: null, key: 'k' })
    expect(body).toEqual({ name: 'db', token: null, key: 'k' })
    expect('password' in body).toBe(false)
  })

  it('adds only the secrets that have a value to a create body', () => {
    expect(withNewSecrets({ name: 'db' }, { password: '', token: null, key: 'k' })).toEqual({ name: 'db', key: 'k' })
  })
})

describe('changedFields', () => {
  it('keeps only the fields that differ, comparing deeply', () => {
    const before = { a: 1, b: 'x', c: { k: 'v' }, d: ['1'], e: null as string | null }
    const after = { a: 1, b: 'y', c: { k: 'v' }, d: ['1', '2'], e: null as string | null }
    expect(changedFields(after, before)).toEqual({ b: 'y', d: ['1', '2'] })
  })

  it('sends null when a value was cleared', () => {
    expect(changedFields({ team: null as string | null }, { team: 'payments' })).toEqual({ team: null })
  })

  it('is empty when nothing changed', () => {
    expect(changedFields({ a: 1 }, { a: 1 })).toEqual({})
  })
})

describe('helpers', () => {
  it('turns blank text into null', () => {
    expect(textOrNull('  ')).toBeNull()
    expect(textOrNull(undefined)).toBeNull()
    expect(textOrNull(' db ')).toBe('db')
  })

  it('converts key/value rows to a map and back, skipping blank keys', () => {
    const map = pairsToMap([
      { key: 'sslmode', value: 'require' },
      { key: ' ', value: 'ignored' },
      { key: ' connect_timeout ', value: '5' },
    ])
    expect(map).toEqual({ sslmode: 'require', connect_timeout: '5' })
    expect(mapToPairs(map)).toEqual([
      { key: 'sslmode', value: 'require' },
      { key: 'connect_timeout', value: '5' },
    ])
  })

  it('parses JSON objects and rejects anything else', () => {
    expect(parseJsonObject('{"type":"object"}')).toEqual({ type: 'object' })
    expect(() => parseJsonObject('[1]')).toThrow(/JSON object/)
    expect(() => parseJsonObject('null')).toThrow(/JSON object/)
    expect(() => parseJsonObject('{oops')).toThrow(/Not valid JSON/)
  })
})
