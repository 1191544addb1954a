import { useMemo, useState, type ReactNode } from 'react'
import { App, Button, Card, Empty, Flex, Grid, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { DeleteOutlined, EditOutlined, HistoryOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { invalidatePaths } from '../../../api/client'
import { problemOf } from '../../../api/errors'
import { historyPath } from '../../audit/format'
import type { TestResult } from '../../../api/types'
import { QueryError } from '../../../components/QueryError'
import { ErrorAlert } from '../../../components/ErrorAlert'
import { WriteAction } from '../../../components/WriteAction'
import { PageHeading } from '../../../components/PageHeading'
import { RelativeTime } from '../../../components/Time'
import type { BaseValues } from './bodies'
import { ConnectionDrawer } from './ConnectionDrawer'
import type { ConnectionBase, ConnectionKind, LastTest } from './kind'
import { TestResultView } from './TestResultView'
import { FoldedColumns } from './foldedColumns'

const PAGE_SIZE = 20

interface Props<R extends ConnectionBase, C, P, V extends BaseValues> {
  kind: ConnectionKind<R, C, P, V>
  /** The owning service's name, or null for global kinds. */
  service: string | null
  /** Whether the user may add, change and delete these connections (testing needs only read). */
  canWrite: boolean
  /** The tooltip of the disabled write actions. */
  deniedReason: string
  /** Whether the user may read these connections' audit history. */
  canSeeHistory?: boolean
  /** When the connections are a page of their own (the global kinds): its heading, which
   * then carries the Add button, as every page's primary action sits. */
  page?: { title: string; subtitle: string; testId: string }
}

/** The audit log's object type of each connection kind (see the backend's labels). */
const AUDIT_OBJECT_TYPES: Record<string, string> = {
  datasources: 'datasource',
  redis: 'redis_instance',
  'job-backends': 'job_backend',
  'debug-endpoints': 'debug_endpoint',
  'kafka-clusters': 'kafka_cluster',
  'notification-channels': 'notification_channel',
}

function LastTestCell({ test }: { test: LastTest | null }) {
  if (!test) return <Typography.Text type="secondary">Never tested</Typography.Text>
  return (
    <Space size={6} wrap={false} data-testid="last-test" data-ok={test.ok}>
      <Tooltip title={test.message}>
        <Tag color={test.ok ? 'green' : 'red'} style={{ marginInlineEnd: 0 }}>
          {test.ok ? 'Passed' : 'Failed'}
        </Tag>
      </Tooltip>
      <Typography.Text type="secondary">
        <RelativeTime at={test.tested_at} />
      </Typography.Text>
    </Space>
  )
}

type RowTest = { pending: true } | { pending: false; result: TestResult } | { pending: false; error: unknown }

export function connectionsKey(kindId: string, service: string | null) {
  return ['connections', kindId, service ?? '*'] as const
}

/** The connections of one kind: table, add/edit drawer, and per-row test and delete. */
export function ConnectionsPanel<R extends ConnectionBase, C, P, V extends BaseValues>({
  kind,
  service,
  canWrite,
  deniedReason,
  canSeeHistory = false,
  page: pageHeading,
}: Props<R, C, P, V>) {
  const navigate = useNavigate()
  const api = useMemo(() => kind.makeApi(service), [kind, service])
  const client = useQueryClient()
  const { message } = App.useApp()
  const [page, setPage] = useState(1)
  const [drawer, setDrawer] = useState<{ open: boolean; row: R | null }>({ open: false, row: null })
  const [tests, setTests] = useState<Record<number, RowTest>>({})
  const baseKey = connectionsKey(kind.id, service)

  const list = useQuery({
    queryKey: [...baseKey, page],
    queryFn: () => api.list({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    placeholderData: keepPreviousData,
  })

  const refresh = () => {
    void client.invalidateQueries({ queryKey: baseKey })
    // The service's connection counts and the editors' pickers read these too.
    void invalidatePaths(client, '/api/v1/services', '/api/v1/kafka-clusters', '/api/v1/notification-channels')
  }

  const remove = useMutation({
    mutationFn: (row: R) => api.remove(row.id),
    onSuccess: (_data, row) => {
      message.success(`${row.name} deleted`)
      setTests(({ [row.id]: _gone, ...rest }) => rest)
      refresh()
    },
    onError: (error) => {
      const problem = problemOf(error)
      message.error(problem.detail ?? problem.title)
    },
  })

  const runTest = async (row: R) => {
    setTests((all) => ({ ...all, [row.id]: { pending: true } }))
    try {
      const result = await api.test(row.id)
      setTests((all) => ({ ...all, [row.id]: { pending: false, result } }))
      refresh() // the row's last test and the service's health changed
    } catch (error) {
      setTests((all) => ({ ...all, [row.id]: { pending: false, error } }))
    }
  }

  const closeTest = (id: number) => setTests(({ [id]: _gone, ...rest }) => rest)
  const openAdd = () => setDrawer({ open: true, row: null })
  const guard = (node: ReactNode) => (
    <WriteAction allowed={canWrite} reason={deniedReason}>
      {node}
    </WriteAction>
  )

  // Below xl the kind's columns fold into the name cell, so the actions stay on screen;
  // below md (a phone) the last test and the actions fold in too: the fixed widths of
  // their columns would leave the name column no width at all.
  const screens = Grid.useBreakpoint()
  const narrow = !screens.xl
  const compact = !screens.md
  const lastTestColumn = {
    title: 'Last test',
    key: 'last_test',
    width: 150,
    render: (_: unknown, row: R) => <LastTestCell test={row.last_test ?? null} />,
  }
  const actions = (row: R) => (
    <Space size={4} wrap={compact}>
      {kind.TestAction ? (
        <kind.TestAction row={row} onTested={refresh} />
      ) : canWrite ? (
        <Button
          size="small"
          icon={<ThunderboltOutlined />}
          loading={tests[row.id]?.pending === true}
          onClick={() => void runTest(row)}
          data-testid={`test-connection-${row.name}`}
        >
          Test
        </Button>
      ) : (
        // A test sends the stored secrets to the connection's address: it takes write.
        guard(<Button size="small" icon={<ThunderboltOutlined />} data-testid={`test-connection-${row.name}`}>Test</Button>)
      )}
      {canSeeHistory && AUDIT_OBJECT_TYPES[kind.id] && (
        <Tooltip title="History">
          <Button
            size="small"
            icon={<HistoryOutlined />}
            aria-label={`History of ${row.name}`}
            onClick={() => navigate(historyPath(AUDIT_OBJECT_TYPES[kind.id], String(row.id)))}
            data-testid={`history-connection-${row.name}`}
          />
        </Tooltip>
      )}
      {canWrite ? (
        <Tooltip title="Edit">
          <Button size="small" icon={<EditOutlined />} aria-label={`Edit ${row.name}`} onClick={() => setDrawer({ open: true, row })} data-testid={`edit-connection-${row.name}`} />
        </Tooltip>
      ) : (
        guard(<Button size="small" icon={<EditOutlined />} aria-label={`Edit ${row.name}`} data-testid={`edit-connection-${row.name}`} />)
      )}
      {canWrite ? (
        <Popconfirm
          title={`Delete ${kind.singular} ${row.name}?`}
          description="This cannot be undone."
          okText="Delete"
          okButtonProps={{ danger: true, 'data-testid': 'confirm-delete' }}
          onConfirm={() => remove.mutateAsync(row).catch(() => undefined)}
        >
          <Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete ${row.name}`} data-testid={`delete-connection-${row.name}`} />
        </Popconfirm>
      ) : (
        guard(<Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete ${row.name}`} data-testid={`delete-connection-${row.name}`} />)
      )}
    </Space>
  )
  const columns: TableColumnsType<R> = [
    {
      title: 'Name',
      dataIndex: 'name',
      key: 'name',
      width: narrow ? undefined : 220,
      render: (_: unknown, row, index) => (
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong data-testid={`connection-row-name-${row.name}`}>{row.name}</Typography.Text>
          {row.description && (
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 1, tooltip: row.description }} style={{ margin: 0, fontSize: 12 }}>
              {row.description}
            </Typography.Paragraph>
          )}
          {narrow && <FoldedColumns columns={compact ? [...kind.columns, lastTestColumn] : kind.columns} row={row} index={index} />}
          {compact && <div style={{ marginTop: 8 }}>{actions(row)}</div>}
        </div>
      ),
    },
    ...(narrow ? [] : kind.columns),
    ...(compact
      ? []
      : [
          lastTestColumn,
          {
            title: 'Actions',
            key: 'actions',
            width: 230,
            align: 'right' as const,
            render: (_: unknown, row: R) => actions(row),
          },
        ]),
  ]

  const testedIds = Object.entries(tests)
    .filter(([, state]) => !state.pending)
    .map(([id]) => Number(id))

  const addButton = guard(
    <Button type="primary" icon={<PlusOutlined />} onClick={openAdd} data-testid={`add-${kind.id}`}>
      Add {kind.singular}
    </Button>,
  )
  const panel = (
    <div data-testid={`connections-${kind.id}`}>
      {!pageHeading && (
        // The description takes the line's room and the button its own width; when both
        // do not fit (a phone) the button wraps under the description, which keeps the
        // whole width (a plain row would shrink it to a letter a line).
        <Flex justify="space-between" align="center" gap={12} wrap style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary" style={{ flex: '1 1 260px', minWidth: 0 }} data-testid={`connections-description-${kind.id}`}>
            {kind.description}
          </Typography.Text>
          <div style={{ flex: 'none' }}>{addButton}</div>
        </Flex>
      )}
      {list.isError ? (
        <QueryError query={list} title={`Cannot load the ${kind.title.toLowerCase()}`} />
      ) : (
        <Table<R>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={narrow ? undefined : { x: 900 }}
          tableLayout={narrow ? 'fixed' : undefined}
          data-testid={`table-${kind.id}`}
          expandable={{
            showExpandColumn: false,
            expandedRowKeys: testedIds,
            expandedRowRender: (row) => {
              const state = tests[row.id]
              if (!state || state.pending) return null
              return 'result' in state ? (
                <TestResultView result={state.result} onClose={() => closeTest(row.id)} />
              ) : (
                <ErrorAlert error={state.error} title="The test could not run" testId="test-result-error" />
              )
            },
          }}
          locale={{
            emptyText: list.isPending ? (
              ' '
            ) : (
              <Empty description={`No ${kind.title.toLowerCase()} yet.`} data-testid={`empty-${kind.id}`}>
                {guard(
                  <Button type="primary" icon={<PlusOutlined />} onClick={openAdd} data-testid={`empty-add-${kind.id}`}>
                    Add {kind.singular}
                  </Button>,
                )}
              </Empty>
            ),
          }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            hideOnSinglePage: true,
            showSizeChanger: false,
            onChange: setPage,
          }}
        />
      )}
      <ConnectionDrawer
        kind={kind}
        api={api}
        open={drawer.open}
        row={drawer.row}
        onClose={() => setDrawer((d) => ({ ...d, open: false }))}
        onSaved={(saved) => {
          closeTest(saved.id)
          refresh()
        }}
      />
    </div>
  )
  if (!pageHeading) return panel
  return (
    <div data-testid={pageHeading.testId}>
      <PageHeading title={pageHeading.title} subtitle={pageHeading.subtitle} extra={addButton} />
      <Card>{panel}</Card>
    </div>
  )
}
