import { useCallback, useMemo } from 'react'
import { useSearchParams } from 'react-router'
import { RUN_VIEWS, type RunView } from './types'

/** What the Debug tab shows, as the address says (`&endpoint=&run=&compare=&view=`), so a
 * link or a reload opens the same run; each choice is a step Back returns from. */
export interface DebugLocation {
  endpoint: number | null
  run: number | null
  compare: number | null
  view: RunView | null
  openEndpoint: (endpointId: number) => void
  openRun: (runId: number, view?: RunView) => void
  openComparison: (base: number, other: number) => void
  closeComparison: () => void
  setView: (view: RunView) => void
}

function idParam(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null
  const id = Number(value)
  return id > 0 ? id : null
}

export function useDebugLocation(): DebugLocation {
  const [params, setParams] = useSearchParams()
  const change = useCallback(
    (values: Record<string, string | null>, replace = false) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous)
          for (const [key, value] of Object.entries(values)) {
            if (value === null) next.delete(key)
            else next.set(key, value)
          }
          return next
        },
        { replace },
      ),
    [setParams],
  )
  return useMemo(() => {
    const view = params.get('view')
    return {
      endpoint: idParam(params.get('endpoint')),
      run: idParam(params.get('run')),
      compare: idParam(params.get('compare')),
      view: RUN_VIEWS.includes(view as RunView) ? (view as RunView) : null,
      openEndpoint: (endpointId) => change({ endpoint: String(endpointId), run: null, compare: null, view: null }),
      openRun: (runId, runView) => change({ run: String(runId), compare: null, view: runView ?? null }),
      openComparison: (base, other) => change({ run: String(base), compare: String(other) }),
      closeComparison: () => change({ compare: null }),
      setView: (next) => change({ view: next }, true),
    }
  }, [params, change])
}
