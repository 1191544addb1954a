import { useState } from 'react'
import { Alert, Button, Descriptions, Drawer, Empty, Flex, Select, Skeleton, Table, Tabs, Tag, Tooltip, Typography } from 'antd'
import { DownloadOutlined, RedoOutlined, SearchOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import { problemOf } from '../../api/errors'
import { ErrorAlert } from '../../components/ErrorAlert'
import { AbsoluteTime } from '../../components/Time'
import { WriteAction } from '../../components/WriteAction'
import { NEEDS_MESSAGES_WRITE, bytes, hexDump, messageApiPath, subscriptionPath } from './format'
import { JsonTree } from './JsonTree'
import { useMessage, useSchemaVersions, useSubscription } from './queries'
import { ReplayModal } from './ReplayModal'
import type { MessageDetail, MessageHeader, MessageRef, Subscription } from './types'
import { useMessagesAccess } from './useMessagesAccess'

const preStyle = {
  margin: 0,
  padding: 12,
  maxHeight: '60vh',
  overflow: 'auto',
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 6,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
  fontSize: 12,
}

interface Props {
  messageRef: MessageRef | null
  onClose: () => void
  /** Search for other messages with this indexed value. */
  onFind?: (field: string, value: string) => void
}

/** One stored message in full: decoded, raw, its headers and key, and the replay. */
export function MessageDrawer({ messageRef, onClose, onFind }: Props) {
  const [version, setVersion] = useState<number | undefined>(undefined)
  const [replaying, setReplaying] = useState(false)
  const message = useMessage(messageRef, version)
  const subscription = useSubscription(messageRef?.subscriptionId ?? null)
  const access = useMessagesAccess()
  const detail = message.data
  const canWrite = subscription.data ? access.canWrite(subscription.data.service) : false
  const close = () => {
    setVersion(undefined)
    setReplaying(false)
    onClose()
  }
  return (
    <Drawer
      open={messageRef !== null}
      onClose={close}
      width="min(860px, 100vw)"
      destroyOnHidden
      title={
        messageRef ? (
          <span style={{ overflowWrap: 'anywhere' }}>
            {detail?.topic ?? 'Message'} · partition {messageRef.partition} · offset {messageRef.offset}
          </span>
        ) : (
          'Message'
        )
      }
      data-testid="message-drawer"
      extra={
        messageRef && (
          <Flex gap={8} wrap justify="flex-end">
            <Button icon={<DownloadOutlined />} href={`${messageApiPath(messageRef)}/value`} download disabled={!detail || detail.value_base64 === null} data-testid="message-download">
              Value
            </Button>
            <WriteAction allowed={canWrite} reason={NEEDS_MESSAGES_WRITE} testId="message-replay-needs-write">
              <Button type="primary" icon={<RedoOutlined />} disabled={!detail} onClick={() => setReplaying(true)} data-testid="message-replay">
                Replay
              </Button>
            </WriteAction>
          </Flex>
        )
      }
    >
      {message.isError ? (
        problemOf(message.error).status === 404 ? (
          <Alert type="info" showIcon message="This message is not stored (any more)" description={problemOf(message.error).detail} data-testid="message-gone" />
        ) : (
          <ErrorAlert error={message.error} title="Cannot load the message" />
        )
      ) : detail && messageRef ? (
        <>
          <MessageBody
            detail={detail}
            subscription={subscription.data ?? null}
            version={version}
            onVersion={setVersion}
            loadingVersion={message.isFetching}
            onFind={
              onFind &&
              ((field, value) => {
                close()
                onFind(field, value)
              })
            }
          />
          <ReplayModal open={replaying} messageRef={messageRef} detail={detail} subscription={subscription.data ?? null} onClose={() => setReplaying(false)} />
        </>
      ) : (
        <Skeleton active paragraph={{ rows: 10 }} />
      )}
    </Drawer>
  )
}

function VersionPicker({ subscription, detail, version, onVersion, loading }: { subscription: Subscription; detail: MessageDetail; version?: number; onVersion: (v: number | undefined) => void; loading: boolean }) {
  const versions = useSchemaVersions(subscription.schema_id)
  return (
    <Flex gap={8} wrap align="center">
      <Select
        size="small"
        value={version ?? detail.decoded_with ?? detail.schema_version ?? undefined}
        onChange={(picked: number) => onVersion(picked === detail.schema_version ? undefined : picked)}
        loading={versions.isPending || loading}
        style={{ width: 190 }}
        aria-label="Decode with the schema version"
        placeholder="Decode with a version"
        options={(versions.data ?? []).map((item) => ({
          value: item.version,
          label: `v${item.version}${item.version === detail.schema_version ? ' (stored with)' : ''}`,
        }))}
        data-testid="message-version"
      />
      {subscription.schema_name && (
        <Typography.Text type="secondary">
          of {subscription.schema_name}
          {detail.schema_version !== null && detail.decoded_with !== detail.schema_version && ` · stored with v${detail.schema_version}`}
        </Typography.Text>
      )}
    </Flex>
  )
}

const headerColumns = [
  { title: 'Name', dataIndex: 'name', key: 'name', render: (name: string) => <Typography.Text code>{name}</Typography.Text> },
  {
    title: 'Value',
    key: 'value',
    render: (_: unknown, header: MessageHeader) =>
      header.value !== null ? (
        <span style={{ overflowWrap: 'anywhere', fontFamily: 'ui-monospace, monospace', fontSize: 12 }}>{header.value}</span>
      ) : (
        <Tooltip title="Not text: shown as base64">
          <span style={{ overflowWrap: 'anywhere', fontFamily: 'ui-monospace, monospace', fontSize: 12 }}>
            <Tag style={{ marginInlineEnd: 6 }}>base64</Tag>
            {header.base64}
          </span>
        </Tooltip>
      ),
  },
]

interface BodyProps {
  detail: MessageDetail
  subscription: Subscription | null
  version?: number
  onVersion: (version: number | undefined) => void
  loadingVersion: boolean
  onFind?: (field: string, value: string) => void
}

function MessageBody({ detail, subscription, version, onVersion, loadingVersion, onFind }: BodyProps) {
  // The key and headers are indexed too ('@key', '@header.<name>'); they show on their own.
  const indexed = Object.entries(detail.indexed).filter(([field]) => !field.startsWith('@'))
  const partial = detail.value_base64 !== null && detail.shown_bytes < detail.size
  const value =
    detail.decoded === null || detail.decoded === undefined ? (
      <Empty description={detail.value_base64 === null ? 'No value: a tombstone.' : 'Not decoded: see the raw bytes under Hex and Base64.'} />
    ) : typeof detail.decoded === 'string' ? (
      <pre style={{ ...preStyle, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="message-text">
        {detail.decoded}
      </pre>
    ) : (
      <JsonTree value={detail.decoded} testId="message-decoded" />
    )
  return (
    <Flex vertical gap={16}>
      {detail.decode_error && (
        <Alert type="error" showIcon message="The value does not decode" description={<span style={{ overflowWrap: 'anywhere' }}>{detail.decode_error}</span>} data-testid="message-decode-error" />
      )}
      {detail.cut && (
        <Alert type="warning" showIcon message="The value was cut when stored" description={`It is ${bytes(detail.size)}, more than the store keeps: it was stored cut and not decoded.`} />
      )}
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
        data-testid="message-facts"
        items={[
          { key: 'time', label: 'Time', children: <AbsoluteTime at={detail.timestamp} /> },
          {
            key: 'subscription',
            label: 'Subscription',
            children: <Link to={subscriptionPath(detail.subscription_id)}>{`${detail.service}/${detail.subscription}`}</Link>,
          },
          {
            key: 'key',
            label: 'Key',
            children:
              detail.key === null ? (
                <Typography.Text type="secondary">no key</Typography.Text>
              ) : (
                <Typography.Text code copyable style={{ overflowWrap: 'anywhere' }} data-testid="message-key">
                  {detail.key}
                </Typography.Text>
              ),
          },
          { key: 'size', label: 'Size', children: bytes(detail.size) },
          ...(subscription?.value_format === 'protobuf' && subscription.schema_id
            ? [
                {
                  key: 'schema',
                  label: 'Schema version',
                  span: 'filled' as const,
                  children: <VersionPicker subscription={subscription} detail={detail} version={version} onVersion={onVersion} loading={loadingVersion} />,
                },
              ]
            : []),
        ]}
      />
      <Tabs
        data-testid="message-tabs"
        items={[
          { key: 'value', label: <span data-testid="message-tab-value">Value</span>, children: value },
          {
            key: 'hex',
            label: <span data-testid="message-tab-hex">Hex</span>,
            children:
              detail.value_hex === null ? (
                <Empty description="No value: a tombstone." />
              ) : (
                <Flex vertical gap={8}>
                  {partial && <Typography.Text type="secondary">The first {bytes(detail.shown_bytes)} of {bytes(detail.size)}; download the value for all of it.</Typography.Text>}
                  <pre style={{ ...preStyle, whiteSpace: 'pre' }} data-testid="message-hex">
                    {hexDump(detail.value_hex).join('\n')}
                  </pre>
                </Flex>
              ),
          },
          {
            key: 'base64',
            label: <span data-testid="message-tab-base64">Base64</span>,
            children:
              detail.value_base64 === null ? (
                <Empty description="No value: a tombstone." />
              ) : (
                <Flex vertical gap={8}>
                  <Flex justify="space-between" gap={8} wrap>
                    <Typography.Text type="secondary">{partial ? `The first ${bytes(detail.shown_bytes)} of ${bytes(detail.size)}` : bytes(detail.size)}</Typography.Text>
                    <Typography.Text copyable={{ text: detail.value_base64 }} type="secondary">
                      Copy
                    </Typography.Text>
                  </Flex>
                  <pre style={{ ...preStyle, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="message-base64">
                    {detail.value_base64}
                  </pre>
                </Flex>
              ),
          },
          {
            key: 'headers',
            label: <span data-testid="message-tab-headers">Headers ({detail.headers.length})</span>,
            children: (
              <Table<MessageHeader>
                rowKey={(header) => `${header.name}-${header.base64}`}
                size="small"
                columns={headerColumns}
                dataSource={detail.headers}
                pagination={false}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: 'This message has no headers.' }}
                data-testid="message-headers"
              />
            ),
          },
          {
            key: 'indexed',
            label: <span data-testid="message-tab-indexed">Indexed ({indexed.length})</span>,
            children:
              indexed.length === 0 ? (
                <Empty description="The subscription indexes no field of this message; add indexed fields to search by them." />
              ) : (
                <Descriptions
                  size="small"
                  bordered
                  column={1}
                  data-testid="message-indexed"
                  items={indexed.map(([field, values]) => ({
                    key: field,
                    label: <Typography.Text code>{field}</Typography.Text>,
                    children: (
                      <Flex gap={6} wrap>
                        {values.map((item) => (
                          <Flex key={item} gap={4} align="center">
                            <Typography.Text style={{ overflowWrap: 'anywhere' }}>{item}</Typography.Text>
                            {onFind && (
                              <Tooltip title={`Find the messages whose ${field} is ${item}`}>
                                <Button type="text" size="small" icon={<SearchOutlined />} aria-label={`Find by ${field}`} onClick={() => onFind(field, item)} />
                              </Tooltip>
                            )}
                          </Flex>
                        ))}
                      </Flex>
                    ),
                  }))}
                />
              ),
          },
        ]}
      />
    </Flex>
  )
}
