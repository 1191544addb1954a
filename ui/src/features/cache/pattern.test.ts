import { describe, expect, it } from 'vitest'
import { escapeGlob, folderPattern, hasGlob, patternHelp } from './pattern'

describe('patterns', () => {
  it('tells a glob from an exact key name', () => {
    expect(hasGlob('order:*')).toBe(true)
    expect(hasGlob('user:?')).toBe(true)
    expect(hasGlob('[ab]')).toBe(true)
    expect(hasGlob('a\\b')).toBe(true)
    expect(hasGlob('order:42')).toBe(false)
    expect(hasGlob('')).toBe(false)
  })

  it('escapes the glob characters of a literal name', () => {
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f')
    expect(escapeGlob('order:')).toBe('order:')
  })

  it('searches everything under a folder', () => {
    expect(folderPattern('order:')).toBe('order:*')
    expect(folderPattern('weird*:')).toBe('weird\\*:*')
  })

  it('explains each glob character and the prefix', () => {
    const help = patternHelp('shop:')
    expect(help.map((line) => line.syntax)).toEqual(['*', '?', '[abc]', '\\', 'prefix', 'no glob', 'empty'])
    expect(help[4].meaning).toContain('shop:order:*')
    expect(patternHelp('')[4].meaning).toContain('no key prefix')
  })
})
