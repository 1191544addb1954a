import type { CSSProperties } from 'react'

/** The console's monospace stack, for values shown as they are (keys, paths, JSON). */
export const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace'

/** How raw values (text, JSON, hex) read: monospace, scrolled within a bounded box. */
export const preStyle: CSSProperties = {
  margin: 0,
  padding: 12,
  maxHeight: '60vh',
  overflow: 'auto',
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 6,
  fontFamily: MONO,
  fontSize: 12,
}
