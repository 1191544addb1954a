import { Tag, Tooltip, Typography } from 'antd'
import { MONO, count } from './format'
import { bytesOfBase64, hexRun } from './hexDump'
import type { Blob } from './types'

const textStyle = { fontFamily: MONO, fontSize: 12, whiteSpace: 'pre-wrap' as const, overflowWrap: 'anywhere' as const }

/** One element's bytes (a field, a member, an item): as text when they are UTF-8, as hex
 * when not, and said to be cut when the API sent only their start. */
export function BlobView({ blob, testId }: { blob: Blob | null | undefined; testId?: string }) {
  if (!blob) return <Typography.Text type="secondary">—</Typography.Text>
  return (
    <span style={textStyle} data-testid={testId}>
      {blob.text !== null ? (
        blob.text === '' ? (
          <Typography.Text type="secondary">(empty)</Typography.Text>
        ) : (
          blob.text
        )
      ) : (
        <>
          <Tooltip title="Not UTF-8 text: the bytes in hex">
            <Tag style={{ marginInlineEnd: 6, fontFamily: 'inherit' }}>hex</Tag>
          </Tooltip>
          {hexRun(bytesOfBase64(blob.base64))}
        </>
      )}
      {blob.truncated && (
        <Typography.Text type="secondary" data-testid="blob-cut">
          {' '}
          … ({count(blob.length)} bytes, cut)
        </Typography.Text>
      )}
    </span>
  )
}
