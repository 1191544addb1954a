import type { ReactNode } from 'react'
import { Flex, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import type { ColumnType } from 'antd/es/table'

/**
 * A kind's own columns (dialect, URL, password ...) as one line of "title value" pairs,
 * for the name cell of a narrow table: below about 1200 px the columns would push the
 * actions off-screen, and a connection's address is read together with its name anyway.
 */
export function FoldedColumns<R extends object>({ columns, row, index }: { columns: TableColumnsType<R>; row: R; index: number }) {
  return (
    <Flex wrap gap="2px 12px" style={{ marginTop: 2 }} data-testid="folded-columns">
      {columns.map((column, position) => {
        const leaf = column as ColumnType<R>
        const raw = typeof leaf.dataIndex === 'string' ? (row as Record<string, unknown>)[leaf.dataIndex] : undefined
        const shown: ReactNode = leaf.render ? (leaf.render(raw, row, index) as ReactNode) : String(raw ?? '')
        return (
          // Baseline: a value that wraps (two tags on a phone) keeps its title on its first line.
          <Flex key={String(leaf.key ?? position)} gap={4} align="baseline" style={{ minWidth: 0, maxWidth: '100%' }}>
            <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>
              {String(leaf.title)}
            </Typography.Text>
            <div style={{ minWidth: 0, overflow: 'hidden' }}>{shown}</div>
          </Flex>
        )
      })}
    </Flex>
  )
}
