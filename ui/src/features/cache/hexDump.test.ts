import { describe, expect, it } from 'vitest'
import { bytesOfBase64, hexDump, hexRun, joinBytes } from './hexDump'

describe('hex dump', () => {
  it('addresses rows of 16 bytes with their ASCII', () => {
    const bytes = bytesOfBase64(btoa('{"id": 1, "name": "x"}\n'))
    const rows = hexDump(bytes)
    expect(rows).toHaveLength(2)
    expect(rows[0]).toBe('00000000  7b 22 69 64 22 3a 20 31  2c 20 22 6e 61 6d 65 22  |{"id": 1, "name"|')
    expect(rows[1]).toBe('00000010  3a 20 22 78 22 7d 0a                              |: "x"}.|')
  })

  it('counts offsets from where the chunk starts in the value', () => {
    expect(hexDump(new Uint8Array([0, 255]), 65_536)[0]).toMatch(/^00010000  00 ff /)
  })

  it('shows non-printable bytes as dots', () => {
    expect(hexDump(new Uint8Array([0x00, 0x41, 0x7f, 0xc3]))[0]).toContain('|.A..|')
  })

  it('is empty for no bytes', () => {
    expect(hexDump(new Uint8Array())).toEqual([])
  })

  it('joins chunks and writes a short run', () => {
    const joined = joinBytes([new Uint8Array([0xde, 0xad]), new Uint8Array([0xbe, 0xef])])
    expect(hexRun(joined)).toBe('de ad be ef')
  })
})
