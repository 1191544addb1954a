/** Bytes from the API's base64 shown as hex: a dump for a value, a short run for a cell. */

export function bytesOfBase64(base64: string): Uint8Array {
  const binary = atob(base64)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) out[i] = binary.charCodeAt(i)
  return out
}

/** Several chunks (a string loaded page by page) as one run of bytes. */
export function joinBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

const hex2 = (byte: number) => byte.toString(16).padStart(2, '0')

/**
 * Rows of 16 bytes, each addressed by its offset (from `start`, the offset of the first
 * byte in the whole value), the bytes in two groups of 8 and their printable ASCII:
 * `00000010  7b 22 69 64 22 3a 20 31  7d 0a                    |{"id": 1}.|`
 */
export function hexDump(bytes: Uint8Array, start = 0, width = 16): string[] {
  const rows: string[] = []
  const half = width / 2
  for (let row = 0; row < bytes.length; row += width) {
    const chunk = Array.from(bytes.subarray(row, row + width))
    const cells = Array.from({ length: width }, (_, i) => (i < chunk.length ? hex2(chunk[i]) : '  '))
    const ascii = chunk.map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('')
    const offset = (start + row).toString(16).padStart(8, '0')
    rows.push(`${offset}  ${cells.slice(0, half).join(' ')}  ${cells.slice(half).join(' ')}  |${ascii}|`)
  }
  return rows
}

/** "de ad be ef": the bytes of a short value (a binary hash field) on one line. */
export function hexRun(bytes: Uint8Array): string {
  return Array.from(bytes, hex2).join(' ')
}
