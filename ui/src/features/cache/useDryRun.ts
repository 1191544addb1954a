import { useCallback, useEffect, useRef, useState } from 'react'
import { fetchMatchCount } from './queries'
import { ALL_OF_IT, keepScanning, type ScanEnd } from './scanLoop'
import type { InstanceRef, KeyName } from './types'

/** Keys of the match a dry run shows. */
const SAMPLE = 20

export interface DryRunState {
  /** The pattern counted; null before the first dry run. */
  pattern: string | null
  matched: number
  examined: number
  sample: KeyName[]
  failures: Record<string, string>
  /** How the count ended; null while it runs. */
  end: ScanEnd | null
  running: boolean
  error: unknown
}

const IDLE: DryRunState = { pattern: null, matched: 0, examined: 0, sample: [], failures: {}, end: null, running: false, error: null }

/**
 * A bulk delete's dry run: the count of the keys the pattern matches, summed over as
 * many budgeted pages as the scan takes (the API counts one budget's worth a call),
 * with the first keys found and a Stop.
 */
export function useDryRun(ref: InstanceRef) {
  const [state, setState] = useState<DryRunState>(IDLE)
  const controller = useRef<AbortController | null>(null)
  const instance = useRef(ref)
  instance.current = ref
  useEffect(() => () => controller.current?.abort(), [])

  const start = useCallback(async (pattern: string) => {
    controller.current?.abort()
    const stopper = new AbortController()
    controller.current = stopper
    setState({ ...IDLE, pattern, running: true })
    try {
      const end = await keepScanning({
        cursor: null,
        goal: ALL_OF_IT,
        signal: stopper.signal,
        fetchPage: async (cursor, _wanted, signal) => {
          const page = await fetchMatchCount(instance.current, pattern, cursor, signal)
          return { ...page, found: page.matched }
        },
        onPage: (page) =>
          setState((before) => ({
            ...before,
            matched: before.matched + page.matched,
            examined: before.examined + page.examined,
            sample: before.sample.length < SAMPLE ? [...before.sample, ...page.sample].slice(0, SAMPLE) : before.sample,
            failures: { ...before.failures, ...page.failures },
          })),
      })
      if (controller.current === stopper) setState((before) => ({ ...before, running: false, end }))
    } catch (error) {
      if (controller.current === stopper) setState((before) => ({ ...before, running: false, error }))
    }
  }, [])

  const stop = useCallback(() => controller.current?.abort(), [])
  const reset = useCallback(() => {
    controller.current?.abort()
    controller.current = null
    setState(IDLE)
  }, [])

  return { ...state, start, stop, reset }
}
