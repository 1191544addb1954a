import { describe, expect, it } from 'vitest'
import { loginPathFor, safeNext } from './safeNext'

describe('safeNext', () => {
  it('accepts same-site paths', () => {
    expect(safeNext('/catalog/services/orders?tab=redis')).toBe('/catalog/services/orders?tab=redis')
  })

  it('refuses other sites, missing values and the login page', () => {
    for (const bad of [null, undefined, '', 'https://evil.example', '//evil.example', '/\\evil.example', '/login', '/login?next=/x']) {
      expect(safeNext(bad)).toBe('/')
    }
  })
})

describe('loginPathFor', () => {
  it('keeps the wanted path', () => {
    expect(loginPathFor({ pathname: '/catalog', search: '?q=pay' })).toBe('/login?next=%2Fcatalog%3Fq%3Dpay')
  })

  it('needs no next for the home page', () => {
    expect(loginPathFor({ pathname: '/', search: '' })).toBe('/login')
  })
})
