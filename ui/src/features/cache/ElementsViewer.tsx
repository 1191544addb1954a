import { Button, Flex, Segmented, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { noWrapCell } from '../../components/noWrapCell'
import { BlobView } from './BlobView'
import { MONO, count } from './format'
import type { Element, ValueOrder, ValuePage } from './types'

interface Row extends Element {
  /** The row's place among those loaded (elements have no id of their own in a set). */
  position: number
}

const valueColumn = (title: string) => ({ title, key: 'value', render: (_: unknown, row: Row) => <BlobView blob={row.value} /> })

function StreamFields({ fields }: { fields: Element[] | null | undefined }) {
  if (!fields?.length) return <Typography.Text type="secondary">no fields</Typography.Text>
  return (
    <Flex vertical gap={2}>
      {fields.map((pair, index) => (
        <div key={index}>
          <Typography.Text strong style={{ fontFamily: MONO, fontSize: 12 }}>
            <BlobView blob={pair.field} />
          </Typography.Text>
          <Typography.Text type="secondary">: </Typography.Text>
          <BlobView blob={pair.value} />
        </div>
      ))}
    </Flex>
  )
}

/** Each type's columns, as Redis names its parts. */
const COLUMNS: Record<string, TableColumnsType<Row>> = {
  hash: [{ title: 'Field', key: 'field', render: (_: unknown, row) => <BlobView blob={row.field} testId="hash-field" /> }, valueColumn('Value')],
  list: [{ title: 'Index', key: 'index', align: 'right', onCell: noWrapCell, render: (_: unknown, row) => count(row.index) }, valueColumn('Value')],
  set: [valueColumn('Member')],
  zset: [valueColumn('Member'), { title: 'Score', key: 'score', align: 'right', onCell: noWrapCell, render: (_: unknown, row) => row.score ?? '—' }],
  stream: [
    { title: 'Entry id', key: 'id', onCell: noWrapCell, render: (_: unknown, row) => <Typography.Text style={{ fontFamily: MONO, fontSize: 12 }}>{row.id}</Typography.Text> },
    { title: 'Fields', key: 'fields', render: (_: unknown, row) => <StreamFields fields={row.fields} /> },
  ],
}

const NOUNS: Record<string, string> = { hash: 'fields', list: 'items', set: 'members', zset: 'members', stream: 'entries' }

interface Props {
  type: string
  pages: ValuePage[]
  hasMore: boolean
  loadingMore: boolean
  onLoadMore: () => void
  order: ValueOrder
  onOrder: (order: ValueOrder) => void
}

/** A hash, list, set, sorted set or stream, 100 elements a page, with Load more. */
export function ElementsViewer({ type, pages, hasMore, loadingMore, onLoadMore, order, onOrder }: Props) {
  const rows: Row[] = pages.flatMap((page) => page.elements ?? []).map((element, position) => ({ ...element, position }))
  const total = pages[0]?.length ?? null
  const noun = NOUNS[type] ?? 'elements'
  return (
    <Flex vertical gap={8} data-testid="elements-viewer">
      <Flex justify="space-between" align="center" gap={8} wrap>
        <Typography.Text type="secondary" data-testid="value-loaded">
          {total === null ? `${count(rows.length)} ${noun}` : `${count(rows.length)} of ${count(total)} ${noun}`}
          {type === 'stream' && ' · newest first'}
          {(type === 'hash' || type === 'set') && ' · in the order Redis scans them'}
        </Typography.Text>
        {type === 'zset' && (
          <Segmented<ValueOrder>
            size="small"
            value={order}
            onChange={onOrder}
            options={[
              { value: 'asc', label: <span data-testid="zset-order-asc">Lowest score first</span> },
              { value: 'desc', label: <span data-testid="zset-order-desc">Highest first</span> },
            ]}
          />
        )}
      </Flex>
      <Table<Row>
        rowKey="position"
        size="small"
        columns={COLUMNS[type]}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: `No ${noun}.` }}
        data-testid="value-elements"
      />
      {hasMore && (
        <Button onClick={onLoadMore} loading={loadingMore} style={{ alignSelf: 'center' }} data-testid="value-load-more">
          Load more
        </Button>
      )}
    </Flex>
  )
}
