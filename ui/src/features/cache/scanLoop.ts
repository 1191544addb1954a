/**
 * "Keep scanning": one search page is bounded by the server (a page size, a budget of
 * keys examined, a time), so finding rare keys in a large keyspace means asking again
 * with the cursor. This asks page after page until the user's goal is met (N more
 * matches or T seconds), the scan is complete, or the user stops it; the page in
 * flight when stopped is dropped, so the cursor kept is still the last one received.
 * The dry run of a bulk delete sums the counts the same way, with no goal but the end.
 */

export interface ScanGoal {
  /** Matches to collect; Infinity for all of them. */
  matches: number
  /** Seconds to spend at most; Infinity for no limit. */
  seconds: number
}

export const ALL_OF_IT: ScanGoal = { matches: Number.POSITIVE_INFINITY, seconds: Number.POSITIVE_INFINITY }

export type ScanEnd = 'goal' | 'time' | 'complete' | 'stopped'

export interface ScanStep {
  /** Matches in this page. */
  found: number
  /** Where the next page starts; null once the scan is complete. */
  cursor: string | null
}

export interface ScanOptions<P extends ScanStep> {
  /** The cursor to go on from; null starts the scan. */
  cursor: string | null
  goal: ScanGoal
  /** One page from `cursor`, `wanted` being the matches still to collect. */
  fetchPage: (cursor: string | null, wanted: number, signal: AbortSignal) => Promise<P>
  /** Each page as it arrives (to show the progress). */
  onPage: (page: P) => void
  signal: AbortSignal
  /** Milliseconds, monotonic; injected by tests. */
  clock?: () => number
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError'
}

export async function keepScanning<P extends ScanStep>({ cursor, goal, fetchPage, onPage, signal, clock = () => performance.now() }: ScanOptions<P>): Promise<ScanEnd> {
  const started = clock()
  let found = 0
  let at = cursor
  for (;;) {
    if (signal.aborted) return 'stopped'
    let page: P
    try {
      page = await fetchPage(at, goal.matches - found, signal)
    } catch (error) {
      if (signal.aborted || isAbort(error)) return 'stopped'
      throw error
    }
    if (signal.aborted) return 'stopped'
    onPage(page)
    found += page.found
    at = page.cursor
    if (at === null) return 'complete'
    if (found >= goal.matches) return 'goal'
    if (clock() - started >= goal.seconds * 1000) return 'time'
  }
}
