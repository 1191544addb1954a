import { useCallback, useEffect, useRef, useState } from 'react'
import { PAGE_SIZE, fetchKeyPage, type KeySearch } from './queries'
import { keepScanning, type ScanEnd, type ScanGoal } from './scanLoop'
import { clockOffset } from './ttl'
import type { InstanceRef, KeyInfo, KeyPage, ScannedKey } from './types'

export type SearchActivity = 'searching' | 'next' | 'scanning' | null

export interface SearchResult {
  /** The search the results are of; null before the first. */
  search: KeySearch | null
  keys: ScannedKey[]
  /** Where the scan goes on; null once it is complete. */
  cursor: string | null
  /** Keys the scan looked at, over every page so far (an estimate: SCAN's COUNT hints). */
  examined: number
  /** The last page: why it ended, the pattern scanned, whether it was a direct lookup. */
  last: KeyPage | null
  /** The nodes that did not answer, over every page. */
  failures: Record<string, string>
  /** Keys found that expired or went before their details were read. */
  vanished: number
  activity: SearchActivity
  /** Keys examined while "keep scanning" runs, and how it ended. */
  scanned: { examined: number; found: number; end: ScanEnd | null } | null
  error: unknown
}

const EMPTY: SearchResult = { search: null, keys: [], cursor: null, examined: 0, last: null, failures: {}, vanished: 0, activity: null, scanned: null, error: null }

/** The page's keys added to those before (SCAN may return a key twice: kept once). */
function merged(before: ScannedKey[], page: KeyPage, receivedAt: number): ScannedKey[] {
  const offset = clockOffset(page.server_time, receivedAt)
  const seen = new Set(before.map((key) => key.key_b64))
  const added = page.items.filter((key) => !seen.has(key.key_b64)).map((key) => ({ ...key, clockOffsetMs: offset }))
  return added.length ? [...before, ...added] : before
}

function withPage(state: SearchResult, page: KeyPage): SearchResult {
  return {
    ...state,
    keys: merged(state.keys, page, Date.now()),
    cursor: page.cursor,
    examined: state.examined + page.examined,
    last: page,
    failures: { ...state.failures, ...page.failures },
    vanished: state.vanished + page.vanished,
  }
}

/**
 * A key search over SCAN, page by page: the first page, the next one on demand, or
 * "keep scanning" until a goal. The keys of every page stay listed (with their clock
 * offset for the TTLs), so the table and the tree show all that was scanned so far.
 */
export function useKeySearch(ref: InstanceRef) {
  const [state, setState] = useState<SearchResult>(EMPTY)
  const controller = useRef<AbortController | null>(null)
  // The latest state and instance, read by the callbacks when they run (they stay the
  // same functions across renders; the page remounts the search for another instance).
  const current = useRef(state)
  current.current = state
  const instance = useRef(ref)
  instance.current = ref

  // A new operation stops the one before; leaving the page stops any.
  const begin = () => {
    controller.current?.abort()
    controller.current = new AbortController()
    return controller.current
  }
  useEffect(() => () => controller.current?.abort(), [])

  const run = useCallback(
    async (search: KeySearch) => {
      const { signal } = begin()
      setState({ ...EMPTY, search, activity: 'searching' })
      try {
        const page = await fetchKeyPage(instance.current, search, null, PAGE_SIZE, signal)
        if (!signal.aborted) setState((before) => ({ ...withPage(before, page), activity: null }))
      } catch (error) {
        if (!signal.aborted) setState((before) => ({ ...before, activity: null, error }))
      }
    },
    [],
  )

  const nextPage = useCallback(async () => {
    const { search, cursor } = current.current
    if (!search || cursor === null) return
    const { signal } = begin()
    setState((before) => ({ ...before, activity: 'next', error: null, scanned: null }))
    try {
      const page = await fetchKeyPage(instance.current, search, cursor, PAGE_SIZE, signal)
      if (!signal.aborted) setState((before) => ({ ...withPage(before, page), activity: null }))
    } catch (error) {
      if (!signal.aborted) setState((before) => ({ ...before, activity: null, error }))
    }
  }, [])

  const scanFurther = useCallback(async (goal: ScanGoal) => {
    const { search, cursor } = current.current
    if (!search || cursor === null) return
    const stopper = begin()
    setState((before) => ({ ...before, activity: 'scanning', error: null, scanned: { examined: 0, found: 0, end: null } }))
    try {
      const end = await keepScanning({
        cursor,
        goal,
        signal: stopper.signal,
        fetchPage: async (at, wanted, signal) => {
          const page = await fetchKeyPage(instance.current, search, at, wanted, signal)
          return { ...page, found: page.items.length }
        },
        onPage: (page) =>
          setState((before) => ({
            ...withPage(before, page),
            scanned: { examined: (before.scanned?.examined ?? 0) + page.examined, found: (before.scanned?.found ?? 0) + page.items.length, end: null },
          })),
      })
      // Stopped by a new search: that one owns the state now.
      if (controller.current === stopper) {
        setState((before) => ({ ...before, activity: null, scanned: before.scanned && { ...before.scanned, end } }))
      }
    } catch (error) {
      if (controller.current === stopper) setState((before) => ({ ...before, activity: null, error }))
    }
  }, [])

  /** Stops "keep scanning"; what it found stays, and the cursor goes on from there. */
  const stop = useCallback(() => controller.current?.abort(), [])

  const removeKey = useCallback((keyB64: string) => setState((before) => ({ ...before, keys: before.keys.filter((key) => key.key_b64 !== keyB64) })), [])

  /** A key's details after a change (its new TTL), with the offset measured now. */
  const updateKey = useCallback((info: KeyInfo, clockOffsetMs: number) => {
    setState((before) => ({ ...before, keys: before.keys.map((key) => (key.key_b64 === info.key_b64 ? { ...info, clockOffsetMs } : key)) }))
  }, [])

  return { ...state, run, nextPage, scanFurther, stop, removeKey, updateKey }
}
