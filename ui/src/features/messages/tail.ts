/**
 * The live tail: a subscription's new messages as server-sent events (EventSource sends
 * the session cookie, same origin), newest on top, capped; paused, it keeps what arrives
 * aside and shows it on resume.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { refKey } from './format'
import type { MessageSummary } from './types'

/** The most rows the tail shows (and keeps aside while paused). */
export const TAIL_CAP = 500
/** How often arrivals are put on screen: a busy topic redraws a few times a second, not per message. */
const FLUSH_MS = 250

/** `rows` (newest first) with `arrived` (in arrival order) on top, each message once, at most `cap`. */
export function addNewest(rows: readonly MessageSummary[], arrived: readonly MessageSummary[], cap = TAIL_CAP): MessageSummary[] {
  const seen = new Set<string>()
  const out: MessageSummary[] = []
  for (const row of [...arrived].reverse().concat(rows)) {
    const key = refKey(row)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(row)
    if (out.length === cap) break
  }
  return out
}

export type TailState = 'off' | 'connecting' | 'live' | 'reconnecting' | 'stopped'

export interface LiveTail {
  rows: MessageSummary[]
  /** Arrived while paused, not yet shown. */
  waiting: number
  state: TailState
  clear: () => void
  restart: () => void
}

/** Tails `url` while `url` is given; `keep` drops messages the tail cannot filter on the server. */
export function useLiveTail(url: string | null, paused: boolean, keep: (message: MessageSummary) => boolean): LiveTail {
  const [rows, setRows] = useState<MessageSummary[]>([])
  const [waiting, setWaiting] = useState(0)
  const [state, setState] = useState<TailState>('off')
  const [attempt, setAttempt] = useState(0)
  const pending = useRef<MessageSummary[]>([])
  const keepRef = useRef(keep)
  keepRef.current = keep
  const pausedRef = useRef(paused)
  pausedRef.current = paused

  const flush = useCallback(() => {
    if (pausedRef.current) {
      setWaiting(pending.current.length)
      return
    }
    if (pending.current.length === 0) return
    const arrived = pending.current
    pending.current = []
    setWaiting(0)
    setRows((previous) => addNewest(previous, arrived))
  }, [])

  useEffect(() => {
    if (!url) {
      setState('off')
      return undefined
    }
    setRows([])
    setWaiting(0)
    pending.current = []
    setState('connecting')
    const source = new EventSource(url)
    source.addEventListener('ready', () => setState('live'))
    source.addEventListener('message', (event) => {
      let message: MessageSummary
      try {
        message = JSON.parse((event as MessageEvent<string>).data) as MessageSummary
      } catch {
        return
      }
      if (!keepRef.current(message)) return
      pending.current.push(message)
      if (pending.current.length > TAIL_CAP) pending.current = pending.current.slice(-TAIL_CAP)
    })
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting')
    const timer = window.setInterval(flush, FLUSH_MS)
    return () => {
      window.clearInterval(timer)
      source.close()
    }
  }, [url, attempt, flush])

  useEffect(() => {
    if (!paused) flush()
  }, [paused, flush])

  const clear = useCallback(() => {
    pending.current = []
    setWaiting(0)
    setRows([])
  }, [])
  const restart = useCallback(() => setAttempt((n) => n + 1), [])
  return { rows, waiting, state, clear, restart }
}
