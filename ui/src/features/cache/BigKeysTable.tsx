import { Table } from 'antd'
import type { TableColumnsType } from 'antd'
import { noWrapCell } from '../../components/noWrapCell'
import { KeyName, SizeText, TypeTag } from './cells'
import { NOT_NARROW } from './format'
import { formatTtl } from './ttl'
import type { BigKey } from './types'
import { useNarrow } from '../../components/useNarrow'

const columns = (prefix: string, narrow: boolean): TableColumnsType<BigKey> => [
  { title: 'Key', key: 'key', render: (_: unknown, key) => <KeyName name={key.key} binary={key.binary} prefix={prefix} hidePrefix={narrow} /> },
  { title: 'Type', key: 'type', onCell: noWrapCell, responsive: NOT_NARROW, render: (_: unknown, key) => <TypeTag type={key.type} /> },
  { title: 'Size', key: 'size', align: 'right', onCell: noWrapCell, render: (_: unknown, key) => <SizeText size={key.size} size_source={key.size_source} /> },
  // The TTL when the analysis read it: the table is a snapshot, not a countdown.
  { title: 'TTL then', key: 'ttl', onCell: noWrapCell, responsive: NOT_NARROW, render: (_: unknown, key) => formatTtl(key.ttl_ms) },
]

/** The biggest keys of the sample; a click opens the key. */
export function BigKeysTable({ keys, prefix, onOpen, testId }: { keys: BigKey[]; prefix: string; onOpen: (key: BigKey) => void; testId: string }) {
  const narrow = useNarrow()
  return (
    <Table<BigKey>
      rowKey="key_b64"
      size="small"
      columns={columns(prefix, narrow)}
      dataSource={keys}
      pagination={keys.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      locale={{ emptyText: 'None in the sample.' }}
      data-testid={testId}
      onRow={(key) => ({ onClick: () => onOpen(key), style: { cursor: 'pointer' }, 'data-testid': `${testId}-row` }) as object}
    />
  )
}
