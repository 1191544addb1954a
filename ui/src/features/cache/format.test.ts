import { describe, expect, it } from 'vitest'
import { cachePath, downloadHref, fullPattern, humanBytes, keysCount, sizeLabel } from './format'

describe('humanBytes', () => {
  it('keeps bytes whole and scales by 1024 above', () => {
    expect(humanBytes(0)).toBe('0 B')
    expect(humanBytes(1023)).toBe('1023 B')
    expect(humanBytes(1024)).toBe('1.00 KiB')
    expect(humanBytes(1536)).toBe('1.50 KiB')
    expect(humanBytes(12.5 * 1024)).toBe('12.5 KiB')
    expect(humanBytes(3 * 1024 ** 3)).toBe('3.00 GiB')
  })

  it('says nothing is known for a missing size', () => {
    expect(humanBytes(null)).toBe('—')
  })
})

describe('sizeLabel', () => {
  it('marks a length standing in for the memory', () => {
    expect(sizeLabel({ size: 2048, size_source: 'memory' })).toBe('2.00 KiB')
    expect(sizeLabel({ size: 2048, size_source: 'length' })).toBe('~2,048 (length)')
    expect(sizeLabel({ size: null, size_source: null })).toBe('—')
  })
})

describe('paths', () => {
  it('names the instance in the address', () => {
    expect(cachePath()).toBe('/cache')
    expect(cachePath({ service: 'shop', instanceId: 3 })).toBe('/cache?service=shop&instance=3')
    expect(cachePath({ service: 'shop', instanceId: 3 }, { tab: 'analysis' })).toBe('/cache?service=shop&instance=3&tab=analysis')
  })

  it('downloads a value by the key bytes in base64url', () => {
    expect(downloadHref({ service: 'a b', instanceId: 7 }, 'b3JkZXI6MQ')).toBe('/api/v1/services/a%20b/redis/7/keys/b3JkZXI6MQ/download')
  })

  it('shows the full pattern with the prefix, every key for an empty one', () => {
    expect(fullPattern('shop:', 'order:*')).toBe('shop:order:*')
    expect(fullPattern('shop:', '')).toBe('shop:*')
  })

  it('counts keys', () => {
    expect(keysCount(1)).toBe('1 key')
    expect(keysCount(1200)).toBe('1,200 keys')
  })
})
