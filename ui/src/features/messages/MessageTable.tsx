import type { ReactNode } from 'react'
import { Flex, Grid, Table, Tag, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { WarningOutlined } from '@ant-design/icons'
import { AbsoluteTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'
import { NOT_NARROW, refKey } from './format'
import type { MessageSummary } from './types'

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12 }

function Place({ message }: { message: MessageSummary }) {
  return (
    <Typography.Text type="secondary" style={{ ...mono, fontSize: 11, whiteSpace: 'nowrap' }} data-testid="message-place">
      p{message.partition} · #{message.offset}
    </Typography.Text>
  )
}

function Key({ message }: { message: MessageSummary }) {
  if (message.key === null) return <Typography.Text type="secondary">—</Typography.Text>
  return (
    <span style={{ ...mono, overflowWrap: 'anywhere', display: 'inline-block', maxWidth: 220 }} data-testid="message-key-cell">
      {message.key}
    </span>
  )
}

/** The start of the value, three lines at most, with a mark when it did not decode. */
function Preview({ message, maxWidth }: { message: MessageSummary; maxWidth: string }) {
  return (
    <Flex gap={6} align="flex-start" wrap>
      {message.decode_error && (
        <Tooltip title={message.decode_error}>
          <Tag color="red" icon={<WarningOutlined />} style={{ marginInlineEnd: 0 }} data-testid="message-decode-error-mark">
            not decoded
          </Tag>
        </Tooltip>
      )}
      <span
        style={{
          ...mono,
          overflowWrap: 'anywhere',
          maxWidth,
          display: '-webkit-box',
          WebkitLineClamp: 3,
          WebkitBoxOrient: 'vertical',
          overflow: 'hidden',
        }}
        data-testid="message-preview"
      >
        {message.preview}
      </span>
    </Flex>
  )
}

function columns(several: boolean): TableColumnsType<MessageSummary> {
  return [
    {
      title: 'Time',
      key: 'time',
      onCell: noWrapCell,
      render: (_: unknown, message) => (
        <Flex vertical>
          <AbsoluteTime at={message.timestamp} />
          <Place message={message} />
        </Flex>
      ),
    },
    ...(several
      ? [
          {
            title: 'Subscription',
            key: 'subscription',
            onCell: noWrapCell,
            responsive: NOT_NARROW,
            render: (_: unknown, message: MessageSummary) => `${message.service}/${message.subscription}`,
          },
        ]
      : []),
    { title: 'Key', key: 'key', render: (_: unknown, message) => <Key message={message} /> },
    { title: 'Value', key: 'preview', render: (_: unknown, message) => <Preview message={message} maxWidth="min(640px, 62vw)" /> },
  ]
}

/** A phone: one column, the time, place and key over the value. */
const stacked: TableColumnsType<MessageSummary> = [
  {
    title: 'Messages, newest first',
    key: 'message',
    render: (_: unknown, message) => (
      <Flex vertical gap={2}>
        <Flex gap={8} wrap align="baseline">
          <AbsoluteTime at={message.timestamp} />
          <Place message={message} />
        </Flex>
        {message.key !== null && <Key message={message} />}
        <Preview message={message} maxWidth="calc(100vw - 170px)" />
      </Flex>
    ),
  },
]

interface Props {
  rows: MessageSummary[]
  loading: boolean
  empty: ReactNode
  /** Several subscriptions are shown: say which each message is of. */
  several: boolean
  onOpen: (message: MessageSummary) => void
  testId: string
}

/** Messages newest first: time and place, key, the start of the value; a click opens one. */
export function MessageTable({ rows, loading, empty, several, onOpen, testId }: Props) {
  const screens = Grid.useBreakpoint()
  return (
    <Table<MessageSummary>
      rowKey={refKey}
      size="small"
      data-testid={testId}
      columns={screens.sm === false ? stacked : columns(several)}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      onRow={(message) =>
        ({
          'data-testid': 'message-row',
          'data-ref': refKey(message),
          style: { cursor: 'pointer' },
          onClick: () => onOpen(message),
        }) as object
      }
      locale={{ emptyText: empty }}
    />
  )
}
