import { DownloadOutlined } from '@ant-design/icons'
import { Button, Flex, Tabs, Typography } from 'antd'
import { useMemo } from 'react'
import { humanBytes } from './format'
import { preStyle } from '../../components/preStyle'
import { bytesOfBase64, hexDump, joinBytes } from './hexDump'
import { ProtobufDecode } from './ProtobufDecode'
import type { InstanceRef, ValuePage } from './types'


interface Props {
  pages: ValuePage[]
  hasMore: boolean
  loadingMore: boolean
  onLoadMore: () => void
  downloadHref: string
  /** Where the value is, to decode it as a protobuf message on the server. */
  instance: InstanceRef
  keyB64: string
}

/** A string value, loaded 64 KiB at a time: as text, as JSON when the whole of it is
 * JSON, and as an addressed hex dump; binary values (not UTF-8) show as hex. */
export function StringViewer({ pages, hasMore, loadingMore, onLoadMore, downloadHref, instance, keyB64 }: Props) {
  const chunks = useMemo(() => pages.map((page) => page.chunk).filter((chunk) => chunk != null), [pages])
  const text = useMemo(() => (chunks.every((chunk) => chunk.text !== null) ? chunks.map((chunk) => chunk.text).join('') : null), [chunks])
  const bytes = useMemo(() => joinBytes(chunks.map((chunk) => bytesOfBase64(chunk.base64))), [chunks])
  const hex = useMemo(() => hexDump(bytes, pages[0]?.offset ?? 0).join('\n'), [bytes, pages])
  const first = pages[0]
  const total = first?.length ?? 0
  const json = first?.is_json ? JSON.stringify(first.json_value, null, 2) : null
  const items = [
    ...(json !== null
      ? [{ key: 'json', label: <span data-testid="value-tab-json">JSON</span>, children: <pre style={preStyle} data-testid="value-json">{json}</pre> }]
      : []),
    ...(text !== null
      ? [
          {
            key: 'text',
            label: <span data-testid="value-tab-text">Text</span>,
            children: (
              <pre style={{ ...preStyle, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="value-text">
                {text === '' ? <Typography.Text type="secondary">(an empty string)</Typography.Text> : text}
              </pre>
            ),
          },
        ]
      : []),
    {
      key: 'hex',
      label: <span data-testid="value-tab-hex">Hex</span>,
      children: (
        <pre style={{ ...preStyle, whiteSpace: 'pre' }} data-testid="value-hex">
          {hex || <Typography.Text type="secondary">(no bytes)</Typography.Text>}
        </pre>
      ),
    },
    // The server decodes a value of one page at most: a longer one downloads instead.
    ...(first && !first.offset && first.next === null && total > 0
      ? [
          {
            key: 'protobuf',
            label: <span data-testid="value-tab-protobuf">Protobuf</span>,
            children: <ProtobufDecode instance={instance} keyB64={keyB64} />,
          },
        ]
      : []),
  ]
  return (
    <Flex vertical gap={8} data-testid="string-viewer">
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary" data-testid="value-loaded">
          {bytes.length < total ? `The first ${humanBytes(bytes.length)} of ${humanBytes(total)}` : humanBytes(total)}
          {text === null && ' · not UTF-8 text: shown as hex'}
        </Typography.Text>
        <Flex gap={8} wrap>
          {hasMore && (
            <Button onClick={onLoadMore} loading={loadingMore} data-testid="value-load-more">
              Load more
            </Button>
          )}
          <Button icon={<DownloadOutlined />} href={downloadHref} download data-testid="value-download">
            Download
          </Button>
        </Flex>
      </Flex>
      <Tabs size="small" items={items} defaultActiveKey={items[0].key} />
    </Flex>
  )
}
