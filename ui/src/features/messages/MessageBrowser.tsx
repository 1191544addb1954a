import { useEffect, useMemo, useState } from 'react'
import { Alert, Badge, Button, Empty, Flex, Switch, Tooltip, Typography } from 'antd'
import { DownloadOutlined, PauseOutlined, CaretRightOutlined, ReloadOutlined } from '@ant-design/icons'
import { useSearchParams } from 'react-router'
import { QueryError } from '../../components/QueryError'
import { WriteAction } from '../../components/WriteAction'
import { FilterBar } from './FilterBar'
import {
  EMPTY_FILTERS,
  exportHref,
  filtersFromParams,
  filtersToParams,
  isFiltered,
  searchQuery,
  tailIgnores,
  tailKeeps,
  tailUrl,
  type BrowserFilters,
} from './filters'
import { NEEDS_MESSAGES_EXPORT, count, parseRefToken, refToken } from './format'
import { MessageDrawer } from './MessageDrawer'
import { MessageTable } from './MessageTable'
import { useMessagePages, useSubscriptionFields } from './queries'
import { TAIL_CAP, useLiveTail, type TailState } from './tail'
import type { MessageSummary, Subscription } from './types'
import { useMessagesAccess } from './useMessagesAccess'

const PAGE_SIZE = 50

interface Props {
  /** The subscription browsed, or null for every one in `subscriptions` (the browse page's "all"). */
  subscription: Subscription | null
  /** The subscriptions a search without one covers (for their indexed fields). */
  subscriptions: Subscription[]
  /** The subscription is fixed by the page: the address's `subscription` is not read. */
  fixed?: boolean
}

const TAIL_TEXT: Record<TailState, string> = {
  off: '',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Stopped',
}

const TAIL_BADGE: Record<TailState, 'processing' | 'default' | 'warning' | 'error'> = {
  off: 'default',
  connecting: 'default',
  live: 'processing',
  reconnecting: 'warning',
  stopped: 'error',
}

/** The stored messages of a subscription (or of all in reach): filters kept in the
 * address, newest first, older pages on demand, a live tail, export and the detail. */
export function MessageBrowser({ subscription, subscriptions, fixed = false }: Props) {
  const [params, setParams] = useSearchParams()
  const paramText = params.toString()
  const subscriptionId = subscription?.id ?? null
  // Keyed by the id: the subscription's status refreshes, and must not reset what is being typed.
  const applied = useMemo(() => {
    const read = filtersFromParams(new URLSearchParams(paramText))
    return fixed && subscriptionId !== null ? { ...read, service: '', subscription: subscriptionId } : read
  }, [paramText, fixed, subscriptionId])
  const [draft, setDraft] = useState<BrowserFilters>(applied)
  useEffect(() => setDraft(applied), [applied])

  const access = useMessagesAccess()
  const fields = useSubscriptionFields(subscriptionId)
  const [live, setLive] = useState(false)
  const [paused, setPaused] = useState(false)
  useEffect(() => {
    setLive(false)
    setPaused(false)
  }, [subscriptionId])

  const query = searchQuery(applied, PAGE_SIZE)
  const pages = useMessagePages(query, !live)
  const keep = useMemo(() => tailKeeps(applied), [applied])
  const tail = useLiveTail(live && subscription ? tailUrl(subscription.id, applied) : null, paused, keep)
  const opened = parseRefToken(params.get('open'))

  const indexed = useMemo(() => {
    if (subscription) return fields.data?.indexed ?? subscription.indexed_fields
    return [...new Set(subscriptions.filter((item) => !applied.service || item.service === applied.service).flatMap((item) => item.indexed_fields))].sort()
  }, [subscription, fields.data, subscriptions, applied.service])

  const write = (filters: BrowserFilters) =>
    setParams(
      (previous) => {
        const next = filtersToParams(fixed ? { ...filters, service: '', subscription: null } : filters, previous)
        next.delete('open')
        return next
      },
      { replace: true },
    )
  const apply = () => write(draft)
  const clear = () => {
    const kept = { ...EMPTY_FILTERS, service: applied.service, subscription: applied.subscription }
    setDraft(kept)
    write(kept)
  }
  const open = (message: MessageSummary) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        next.set('open', refToken({ subscriptionId: message.subscription_id, partition: message.partition, offset: message.offset }))
        return next
      },
      { replace: true },
    )
  const closeDetail = () =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        next.delete('open')
        return next
      },
      { replace: true },
    )
  const find = (field: string, value: string) => {
    setLive(false)
    write({ ...applied, field, value, match: 'exact' })
  }

  const filtered = isFiltered(applied)
  const rows = live ? tail.rows : (pages.data?.pages ?? []).flatMap((page) => page.items)
  const last = pages.data?.pages[pages.data.pages.length - 1]
  const scanned = (pages.data?.pages ?? []).reduce((total, page) => total + page.scanned, 0)
  const canExport = subscription ? access.canExport(subscription.service) : access.canExportAny
  const several = subscription === null

  const searchEmpty = pages.isPending ? (
    ' '
  ) : last && !last.complete ? (
    <Empty description={`No match among the ${count(scanned)} newest stored messages looked at so far.`} data-testid="messages-empty-incomplete">
      <Button type="primary" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid="messages-search-further-empty">
        Search further
      </Button>
    </Empty>
  ) : filtered ? (
    <Empty description="No stored message matches these filters." data-testid="messages-empty-filtered">
      <Button onClick={clear}>Clear filters</Button>
    </Empty>
  ) : (
    <Empty
      data-testid="messages-empty"
      description={
        subscription
          ? `No message stored yet. ${subscription.name} stores every message that arrives on ${subscription.topic}${subscription.start_from === 'latest' ? ' from the moment it started' : ''}; turn on the live tail to watch them come in.`
          : 'No message stored yet by the subscriptions in your reach.'
      }
    />
  )
  const tailEmpty = (
    <Empty
      data-testid="tail-empty"
      description={tail.state === 'stopped' ? 'The live tail stopped.' : `Waiting for new messages on ${subscription?.topic ?? 'the topic'}: they show here as they are stored, newest on top.`}
    />
  )

  return (
    <Flex vertical gap={12} data-testid="message-browser">
      <FilterBar
        draft={draft}
        onChange={setDraft}
        onApply={apply}
        onClear={clear}
        indexed={indexed}
        fields={fields.data?.fields ?? []}
        filtered={filtered}
      />
      <Flex justify="space-between" align="center" gap={8} wrap style={{ borderTop: '1px solid #f0f0f0', paddingTop: 12 }}>
        <Flex gap={12} align="center" wrap>
          <Tooltip title={subscription ? undefined : 'Pick one subscription to tail it'}>
            <span>
              <Switch
                checked={live}
                disabled={!subscription}
                onChange={(on) => {
                  setLive(on)
                  setPaused(false)
                }}
                data-testid="tail-switch"
              />
              <Typography.Text style={{ marginInlineStart: 8 }}>Live tail</Typography.Text>
            </span>
          </Tooltip>
          {live && (
            <>
              <Badge status={paused ? 'default' : TAIL_BADGE[tail.state]} text={<span data-testid="tail-state">{paused ? 'Paused' : TAIL_TEXT[tail.state]}</span>} />
              <Button
                size="small"
                icon={paused ? <CaretRightOutlined /> : <PauseOutlined />}
                onClick={() => setPaused(!paused)}
                data-testid="tail-pause"
              >
                {paused ? (tail.waiting ? `Resume (${count(tail.waiting)} new)` : 'Resume') : 'Pause'}
              </Button>
              <Button size="small" onClick={tail.clear} disabled={tail.rows.length === 0}>
                Clear
              </Button>
              {tail.state === 'stopped' && (
                <Button size="small" onClick={tail.restart}>
                  Reconnect
                </Button>
              )}
            </>
          )}
          {!live && (
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void pages.refetch()} loading={pages.isFetching && !pages.isFetchingNextPage} data-testid="messages-refresh">
              Refresh
            </Button>
          )}
        </Flex>
        <Flex gap={8} wrap>
          {(['jsonl', 'csv'] as const).map((format) => (
            <WriteAction key={format} allowed={canExport} reason={NEEDS_MESSAGES_EXPORT} testId={`export-${format}-needs-permission`}>
              <Button size="small" icon={<DownloadOutlined />} href={exportHref(applied, format)} download data-testid={`export-${format}`}>
                {format === 'jsonl' ? 'Export JSONL' : 'Export CSV'}
              </Button>
            </WriteAction>
          ))}
        </Flex>
      </Flex>
      {live && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="tail-note">
          Newest on top, the last {TAIL_CAP} kept{paused ? '; what arrives while paused waits and shows on resume' : ''}.
          {tailIgnores(applied).length > 0 && ` The tail does not apply ${tailIgnores(applied).join(' or ')}.`}
        </Typography.Text>
      )}
      {!live && pages.isError ? (
        <QueryError query={pages} title="Cannot search the messages" />
      ) : (
        <MessageTable
          rows={rows}
          loading={!live && pages.isFetching && !pages.isFetchingNextPage && rows.length === 0}
          empty={live ? tailEmpty : searchEmpty}
          several={several}
          onOpen={open}
          testId={live ? 'tail-table' : 'messages-table'}
        />
      )}
      {!live && last && rows.length > 0 && (
        <Flex justify="space-between" align="center" gap={8} wrap>
          <Typography.Text type="secondary" data-testid="messages-summary">
            {count(rows.length)} message{rows.length === 1 ? '' : 's'}
            {filtered ? ` matching, of ${count(scanned)} looked at` : ''}
            {last.next === null ? ' · that is all' : ''}
          </Typography.Text>
          {last.next !== null &&
            (last.complete ? (
              <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid="messages-older">
                Older messages
              </Button>
            ) : (
              <Tooltip title="The search looks at a bounded number of stored messages at a time; go on from where it stopped">
                <Button type="primary" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid="messages-search-further">
                  Search further
                </Button>
              </Tooltip>
            ))}
        </Flex>
      )}
      {!live && last && !last.complete && rows.length > 0 && (
        <Alert
          type="info"
          showIcon
          message={`The search stopped after looking at ${count(last.scanned)} stored messages without filling the page.`}
          description="Search further to go on with older messages, or narrow the time range or use an indexed field to answer faster."
          data-testid="messages-incomplete"
        />
      )}
      <MessageDrawer messageRef={opened} onClose={closeDetail} onFind={find} />
    </Flex>
  )
}
