import { Alert, Empty, Flex, Switch, Typography } from 'antd'
import { useEffect } from 'react'
import { useSearchParams } from 'react-router'
import { KeySearchForm } from './KeySearchForm'
import { KeyTable } from './KeyTable'
import { KeyTreeView } from './KeyTreeView'
import { folderPattern } from './pattern'
import { CacheProblem, PartialAlert } from './problems'
import type { KeySearch } from './queries'
import { ScanFooter } from './ScanFooter'
import { KEY_TYPES, type InstanceSummary, type KeyType, type ScannedKey } from './types'
import type { useKeySearch } from './useKeySearch'

type Search = ReturnType<typeof useKeySearch>

/** The search in the address (`?pattern=order:*&type=hash`), so a link finds the same keys. */
function searchOf(params: URLSearchParams): KeySearch {
  const type = params.get('type')
  return { pattern: params.get('pattern') ?? '', type: KEY_TYPES.includes(type as KeyType) ? (type as KeyType) : null }
}

interface Props {
  instance: InstanceSummary
  search: Search
  onOpen: (key: ScannedKey) => void
}

/** Keys by pattern and type, page by page, as a table or folded into a tree. */
export function KeysTab({ instance, search, onOpen }: Props) {
  const [params, setParams] = useSearchParams()
  const applied = searchOf(params)
  const tree = params.get('view') === 'tree'
  const { run } = search

  // Runs the search in the address: on arrival, and whenever it changes.
  useEffect(() => {
    void run({ pattern: applied.pattern, type: applied.type })
  }, [run, applied.pattern, applied.type])

  const setParam = (values: Record<string, string | null>) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous)
        for (const [name, value] of Object.entries(values)) {
          if (value) next.set(name, value)
          else next.delete(name)
        }
        return next
      },
      { replace: true },
    )
  const submit = (next: KeySearch) => {
    // The same search again reads afresh: the address would not change, so no effect would run it.
    if (next.pattern === applied.pattern && next.type === applied.type) void run(next)
    else setParam({ pattern: next.pattern, type: next.type })
  }
  const searching = search.activity === 'searching'
  const last = search.last
  return (
    <Flex vertical gap={12} data-testid="keys-tab">
      <KeySearchForm prefix={instance.key_prefix} applied={applied} searching={searching} onSearch={submit} />
      {search.error != null && <CacheProblem error={search.error} title="Cannot search the keys" retry={() => (search.cursor ? search.nextPage() : run(applied))} />}
      <PartialAlert failures={search.failures} />
      {last?.exact && (
        <Alert
          type="info"
          showIcon
          banner
          message="No glob in the pattern: the key of that exact name was looked up directly. Add * to search by prefix."
          data-testid="exact-lookup"
        />
      )}
      {/* Redis not answering: the alert says it all, an empty table would only repeat it. */}
      {!(search.error != null && search.keys.length === 0) && (
        <>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
              {last ? (
                <>
                  Scanned <Typography.Text code>{last.pattern}</Typography.Text>
                  {applied.type && <> · {applied.type} keys only</>}
                </>
              ) : (
                ' '
              )}
            </Typography.Text>
            <label style={{ display: 'inline-flex', gap: 8, alignItems: 'center', cursor: 'pointer' }}>
              <Switch size="small" checked={tree} onChange={(on) => setParam({ view: on ? 'tree' : null })} data-testid="key-tree-toggle" />
              Tree
            </label>
          </Flex>
          {tree ? (
            <KeyTreeView keys={search.keys} prefix={instance.key_prefix} onOpen={onOpen} onFolder={(path) => setParam({ pattern: folderPattern(path) })} />
          ) : (
            <KeyTable
              keys={search.keys}
              prefix={instance.key_prefix}
              loading={searching}
              showNode={instance.mode === 'cluster'}
              onOpen={onOpen}
              empty={
                <Empty
                  description={
                    search.cursor !== null
                      ? 'No match in this page of the scan: look further with Next page or Keep scanning.'
                      : 'No key matches.'
                  }
                />
              }
            />
          )}
        </>
      )}
      <ScanFooter result={search} onNextPage={() => void search.nextPage()} onKeepScanning={(goal) => void search.scanFurther(goal)} onStop={search.stop} />
    </Flex>
  )
}
