import { Flex, Table } from 'antd'
import type { Breakpoint, TableColumnsType } from 'antd'
import type { ReactNode } from 'react'
import { noWrapCell } from '../../components/noWrapCell'
import { ExpiresAt, KeyName, SizeText, TtlText, TypeTag } from './cells'
import { NOT_NARROW, WIDE_ONLY, count } from './format'
import type { ScannedKey } from './types'
import { useNarrow } from '../../components/useNarrow'

/** Columns a phone folds into the key's cell. */
const NOT_PHONE: Breakpoint[] = ['sm']

function columns(prefix: string, showNode: boolean, narrow: boolean): TableColumnsType<ScannedKey> {
  return [
    {
      title: 'Key',
      key: 'key',
      render: (_: unknown, key) =>
        narrow ? (
          <Flex vertical gap={4}>
            <KeyName name={key.key} binary={key.binary} prefix={prefix} hidePrefix />
            <Flex gap={8} align="center">
              <TypeTag type={key.type} />
              <SizeText size={key.size} size_source={key.size_source} />
            </Flex>
          </Flex>
        ) : (
          <KeyName name={key.key} binary={key.binary} prefix={prefix} />
        ),
    },
    { title: 'Type', key: 'type', responsive: NOT_PHONE, onCell: noWrapCell, render: (_: unknown, key) => <TypeTag type={key.type} /> },
    { title: 'TTL', key: 'ttl', onCell: noWrapCell, render: (_: unknown, key) => <TtlText expires_at={key.expires_at} clockOffsetMs={key.clockOffsetMs} /> },
    {
      title: 'Expires at',
      key: 'expires',
      responsive: WIDE_ONLY,
      onCell: noWrapCell,
      render: (_: unknown, key) => <ExpiresAt expires_at={key.expires_at} clockOffsetMs={key.clockOffsetMs} />,
    },
    {
      title: 'Size',
      key: 'size',
      align: 'right',
      responsive: NOT_PHONE,
      onCell: noWrapCell,
      render: (_: unknown, key) => <SizeText size={key.size} size_source={key.size_source} />,
    },
    { title: 'Length', key: 'length', align: 'right', responsive: NOT_NARROW, onCell: noWrapCell, render: (_: unknown, key) => count(key.length) },
    { title: 'Encoding', key: 'encoding', responsive: WIDE_ONLY, onCell: noWrapCell, render: (_: unknown, key) => key.encoding ?? '—' },
    ...(showNode ? [{ title: 'Node', key: 'node', responsive: WIDE_ONLY, onCell: noWrapCell, render: (_: unknown, key: ScannedKey) => key.node }] : []),
  ]
}

interface Props {
  keys: ScannedKey[]
  prefix: string
  loading: boolean
  /** A cluster's keys live on several nodes: then which one is worth a column. */
  showNode: boolean
  empty: ReactNode
  onOpen: (key: ScannedKey) => void
}

/** The keys scanned so far, one row each; a click opens the key's value. Key names wrap
 * anywhere, so the table fits its card instead of scrolling sideways. */
export function KeyTable({ keys, prefix, loading, showNode, empty, onOpen }: Props) {
  const narrow = useNarrow()
  return (
    <Table<ScannedKey>
      rowKey="key_b64"
      size="small"
      data-testid="key-table"
      columns={columns(prefix, showNode, narrow)}
      dataSource={keys}
      loading={loading}
      pagination={false}
      locale={{ emptyText: loading ? ' ' : empty }}
      onRow={(key) => ({ onClick: () => onOpen(key), style: { cursor: 'pointer' }, 'data-testid': 'key-row' }) as object}
    />
  )
}
