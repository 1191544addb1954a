import { ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Descriptions, Drawer, Flex, Grid, Skeleton, Typography } from 'antd'
import { useState } from 'react'
import { problemOf } from '../../api/errors'
import { ExpiresAt, KeyName, SizeText, TtlText, TypeTag } from './cells'
import { ElementsViewer } from './ElementsViewer'
import { count, downloadHref } from './format'
import { KeyActions } from './KeyActions'
import { CacheProblem } from './problems'
import { useKeyInfo, useValuePages } from './queries'
import { StringViewer } from './StringViewer'
import { clockOffsetOfKey } from './ttl'
import type { InstanceRef, KeyInfo, ValueOrder } from './types'
import type { WriteCheck } from './useCacheAccess'

interface Props {
  instance: InstanceRef
  keyB64: string | null
  write: WriteCheck
  onClose: () => void
  /** The key was deleted here: the lists drop it. */
  onDeleted: (keyB64: string) => void
  /** The key's TTL changed here: the lists show the new one. */
  onChanged: (info: KeyInfo, clockOffsetMs: number) => void
}

/** One key: its facts (TTL counting down), its value whatever the type, and the changes
 * a writer may make. */
export function ValueDrawer({ instance, keyB64, write, onClose, onDeleted, onChanged }: Props) {
  const screens = Grid.useBreakpoint()
  const info = useKeyInfo(instance, keyB64)
  const gone = info.isError && problemOf(info.error).status === 404
  return (
    <Drawer
      open={keyB64 !== null}
      onClose={onClose}
      // Wide enough for a hex dump's 78 columns on a desktop; the whole width on a phone.
      width={screens.md ? 'min(960px, 92vw)' : '100vw'}
      destroyOnHidden
      title={info.data ? <KeyName name={info.data.key} binary={info.data.binary} strong /> : 'Key'}
      data-testid="value-drawer"
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void info.refetch()} loading={info.isFetching} aria-label="Read the key again" data-testid="value-refresh">
          {screens.sm ? 'Refresh' : null}
        </Button>
      }
    >
      {gone ? (
        <Alert type="info" showIcon message="This key is not here any more" description={problemOf(info.error).detail} data-testid="key-gone" />
      ) : info.isError ? (
        <CacheProblem error={info.error} title="Cannot read the key" retry={info.refetch} />
      ) : info.data && keyB64 ? (
        <KeyBody
          instance={instance}
          info={info.data}
          clockOffsetMs={clockOffsetOfKey(info.data, info.dataUpdatedAt)}
          write={write}
          onDeleted={() => {
            onDeleted(keyB64)
            onClose()
          }}
          onChanged={(after) => {
            const offset = clockOffsetOfKey(after, Date.now())
            onChanged(after, offset)
            void info.refetch()
          }}
        />
      ) : (
        <Skeleton active paragraph={{ rows: 8 }} />
      )}
    </Drawer>
  )
}

interface BodyProps {
  instance: InstanceRef
  info: KeyInfo
  clockOffsetMs: number
  write: WriteCheck
  onDeleted: () => void
  onChanged: (info: KeyInfo) => void
}

function KeyBody({ instance, info, clockOffsetMs, write, onDeleted, onChanged }: BodyProps) {
  return (
    <Flex vertical gap={16}>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2, md: 3, lg: 3, xl: 3, xxl: 3 }}
        data-testid="key-facts"
        items={[
          { key: 'type', label: 'Type', children: <TypeTag type={info.type} /> },
          { key: 'ttl', label: 'TTL', children: <TtlText expires_at={info.expires_at} clockOffsetMs={clockOffsetMs} testId="drawer-ttl" /> },
          { key: 'expires', label: 'Expires at', children: <ExpiresAt expires_at={info.expires_at} clockOffsetMs={clockOffsetMs} /> },
          { key: 'size', label: 'Size', children: <SizeText size={info.size} size_source={info.size_source} /> },
          { key: 'length', label: info.type === 'string' ? 'Length (bytes)' : 'Length', children: count(info.length) },
          { key: 'encoding', label: 'Encoding', children: info.encoding ?? '—' },
          {
            key: 'node',
            label: 'Node',
            span: 'filled' as const,
            children: (
              <Typography.Text copyable style={{ overflowWrap: 'anywhere' }}>
                {info.node}
              </Typography.Text>
            ),
          },
          {
            key: 'name',
            label: 'Key',
            span: 'filled' as const,
            children: (
              <Typography.Text copyable={{ text: info.key }} style={{ overflowWrap: 'anywhere' }} data-testid="drawer-key">
                <KeyName name={info.key} binary={info.binary} />
              </Typography.Text>
            ),
          },
        ]}
      />
      <KeyActions instance={instance} info={info} write={write} onDeleted={onDeleted} onChanged={onChanged} />
      <ValueView instance={instance} info={info} />
    </Flex>
  )
}

const AGGREGATES = new Set(['hash', 'list', 'set', 'zset', 'stream'])

function ValueView({ instance, info }: { instance: InstanceRef; info: KeyInfo }) {
  const [order, setOrder] = useState<ValueOrder>('asc')
  const pages = useValuePages(instance, info.key_b64, order)
  if (pages.isError) {
    if (problemOf(pages.error).status === 404) return <Alert type="info" showIcon message="The key went while its value was read" description={problemOf(pages.error).detail} />
    return <CacheProblem error={pages.error} title="Cannot read the value" retry={pages.refetch} />
  }
  if (!pages.data) return <Skeleton active paragraph={{ rows: 6 }} />
  const loaded = pages.data.pages
  const more = {
    hasMore: pages.hasNextPage,
    loadingMore: pages.isFetchingNextPage,
    onLoadMore: () => void pages.fetchNextPage(),
  }
  const type = loaded[0]?.type ?? info.type
  if (type === 'string') {
    return <StringViewer pages={loaded} {...more} downloadHref={downloadHref(instance, info.key_b64)} instance={instance} keyB64={info.key_b64} />
  }
  if (AGGREGATES.has(type)) return <ElementsViewer type={type} pages={loaded} {...more} order={order} onOrder={setOrder} />
  return (
    <Alert
      type="info"
      showIcon
      message={`A ${type} value`}
      description="A Redis module's type (RedisJSON, a Bloom filter, a time series...): it is read with the module's own commands, which the console does not run."
      data-testid="value-module-type"
    />
  )
}
