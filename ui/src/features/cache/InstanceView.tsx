import { Card, Tabs } from 'antd'
import { useCallback, useMemo } from 'react'
import { useSearchParams } from 'react-router'
import { AnalysisTab } from './AnalysisTab'
import { BulkDeleteTab } from './BulkDeleteTab'
import { InstanceFacts } from './InstanceFacts'
import { KeysTab } from './KeysTab'
import type { InstanceRef, InstanceSummary } from './types'
import { useCacheAccess } from './useCacheAccess'
import { useKeySearch } from './useKeySearch'
import { useNarrow } from '../../components/useNarrow'
import { ValueDrawer } from './ValueDrawer'

const TABS = ['keys', 'analysis', 'bulk-delete'] as const
type Tab = (typeof TABS)[number]

/** One instance: its facts, then its keys, the analysis and the bulk deletes as tabs,
 * and the opened key's drawer (`?key=`, the key's bytes in base64url) over them. */
export function InstanceView({ instance }: { instance: InstanceSummary }) {
  const ref: InstanceRef = useMemo(() => ({ service: instance.service, instanceId: instance.id }), [instance.service, instance.id])
  const [params, setParams] = useSearchParams()
  const search = useKeySearch(ref)
  const { writeCheck } = useCacheAccess()
  const narrow = useNarrow()
  const write = writeCheck(instance)
  const tabParam = params.get('tab') as Tab | null
  const tab: Tab = tabParam && TABS.includes(tabParam) ? tabParam : 'keys'
  const opened = params.get('key')

  const setParam = useCallback(
    (name: string, value: string | null) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous)
          if (value) next.set(name, value)
          else next.delete(name)
          return next
        },
        { replace: true },
      ),
    [setParams],
  )
  const open = useCallback((key: { key_b64: string }) => setParam('key', key.key_b64), [setParam])

  return (
    <>
      <Card style={{ marginBottom: 16 }} styles={{ body: narrow ? { padding: 12 } : {} }}>
        <InstanceFacts instance={instance} />
      </Card>
      <Card styles={{ body: narrow ? { padding: '0 12px 12px' } : { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam('tab', key === 'keys' ? null : key)}
          data-testid="cache-tabs"
          items={[
            { key: 'keys', label: <span data-testid="cache-tab-keys">Keys</span>, children: <KeysTab instance={instance} search={search} onOpen={open} /> },
            { key: 'analysis', label: <span data-testid="cache-tab-analysis">Analysis</span>, children: <AnalysisTab instance={instance} onOpen={open} /> },
            {
              key: 'bulk-delete',
              label: <span data-testid="cache-tab-bulk-delete">Bulk delete</span>,
              children: <BulkDeleteTab instance={instance} write={write} />,
            },
          ]}
        />
      </Card>
      <ValueDrawer
        instance={ref}
        keyB64={opened}
        write={write}
        onClose={() => setParam('key', null)}
        onDeleted={search.removeKey}
        onChanged={search.updateKey}
      />
    </>
  )
}
