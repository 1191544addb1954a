import type { HTMLAttributes, ReactNode } from 'react'
import { Table } from 'antd'
import type { TableColumnsType } from 'antd'
import type { UseQueryResult } from '@tanstack/react-query'
import type { Page } from '../api/types'
import { QueryError } from './QueryError'

interface Props<T extends object> {
  /** The query of the current page. */
  // Any error type: the typed query hooks type it as the problem document.
  query: UseQueryResult<Page<T>, unknown>
  columns: TableColumnsType<T>
  testId: string
  /** Attributes of each row: its test id, and a click handler when rows open a page. */
  rowProps: (row: T) => HTMLAttributes<HTMLElement> & { 'data-testid': string }
  /** Shown when the page is empty (after loading). */
  empty: ReactNode
  /** What a row is, for the total ("12 users") and the error title. */
  noun: { one: string; many: string }
  page: number
  pageSize: number
  onPage: (page: number) => void
  scrollX: number
  /** The error title; default "Cannot load the <many>". */
  errorTitle?: string
}

/** A server-paged table with loading, error (with retry) and empty states. */
export function PagedTable<T extends object & { id: number }>({
  query,
  columns,
  testId,
  rowProps,
  empty,
  noun,
  page,
  pageSize,
  onPage,
  scrollX,
  errorTitle,
}: Props<T>) {
  if (query.isError) {
    return (
      <QueryError query={query} title={errorTitle ?? `Cannot load the ${noun.many}`} />
    )
  }
  return (
    <Table<T>
      rowKey="id"
      size="middle"
      data-testid={testId}
      columns={columns}
      dataSource={query.data?.items ?? []}
      loading={query.isFetching}
      scroll={{ x: scrollX }}
      locale={{ emptyText: query.isPending ? ' ' : empty }}
      onRow={(row) => rowProps(row) as HTMLAttributes<HTMLElement>}
      pagination={{
        current: page,
        pageSize,
        total: query.data?.total ?? 0,
        showSizeChanger: false,
        hideOnSinglePage: true,
        showTotal: (total) => `${total} ${total === 1 ? noun.one : noun.many}`,
        onChange: onPage,
      }}
    />
  )
}
