import { describe, expect, it } from 'vitest'
import { browsePath, bytes, count, formatLabel, hexDump, parseRefToken, refToken } from './format'
import { addNewest } from './tail'
import type { MessageSummary } from './types'

describe('hexDump', () => {
  it('shows offsets, two halves of hex and the printable text', () => {
    const hex = Array.from('Hello, protobuf!!', (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('') + '00ff'
    expect(hexDump(hex)).toEqual([
      '00000000  48 65 6c 6c 6f 2c 20 70  72 6f 74 6f 62 75 66 21  |Hello, protobuf!|',
      '00000010  21 00 ff                                          |!..|',
    ])
    expect(hexDump('')).toEqual([])
  })
})

describe('places and words', () => {
  it('writes a message place as one token and reads it back', () => {
    expect(refToken({ subscriptionId: 3, partition: 0, offset: 42 })).toBe('3.0.42')
    expect(parseRefToken('3.0.42')).toEqual({ subscriptionId: 3, partition: 0, offset: 42 })
    expect(parseRefToken('3.0')).toBeNull()
    expect(parseRefToken(null)).toBeNull()
  })

  it('links to the browser with its filters', () => {
    expect(browsePath()).toBe('/messages/browse')
    expect(browsePath({ service: 'a b', subscription: undefined })).toBe('/messages/browse?service=a+b')
  })

  it('names formats, sizes and counts', () => {
    expect(formatLabel({ value_format: 'protobuf', message_type: 'shop.OrderEvent' })).toBe('shop.OrderEvent')
    expect(formatLabel({ value_format: 'json', message_type: null })).toBe('json')
    expect(bytes(512)).toBe('512 B')
    expect(bytes(2048)).toBe('2.0 KiB')
    expect(count(12000)).toBe('12,000')
    expect(count(null)).toBe('—')
  })
})

describe('the tail buffer', () => {
  const message = (offset: number) => ({ subscription_id: 1, partition: 0, offset }) as MessageSummary
  it('puts arrivals on top, newest first, each once, capped', () => {
    const rows = addNewest([message(2), message(1)], [message(3), message(4), message(2)])
    expect(rows.map((row) => row.offset)).toEqual([2, 4, 3, 1])
    expect(addNewest([message(1)], [message(2), message(3)], 2).map((row) => row.offset)).toEqual([3, 2])
  })
})
