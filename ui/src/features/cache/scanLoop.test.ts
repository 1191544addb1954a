import { describe, expect, it } from 'vitest'
import { ALL_OF_IT, keepScanning, type ScanStep } from './scanLoop'

/** A scan of `pages` (matches per page), each page taking `stepMs` on a fake clock. */
function fakeScan(pages: number[], stepMs = 100) {
  let now = 0
  const asked: (string | null)[] = []
  const fetchPage = async (cursor: string | null): Promise<ScanStep> => {
    asked.push(cursor)
    const index = cursor === null ? 0 : Number(cursor)
    now += stepMs
    return { found: pages[index], cursor: index + 1 < pages.length ? String(index + 1) : null }
  }
  return { fetchPage, asked, clock: () => now }
}

describe('keepScanning', () => {
  it('goes on until enough matches are collected', async () => {
    const scan = fakeScan([3, 0, 4, 5, 6])
    const seen: number[] = []
    const end = await keepScanning({ cursor: '1', goal: { matches: 8, seconds: 60 }, ...scan, onPage: (page) => seen.push(page.found), signal: new AbortController().signal })
    expect(end).toBe('goal')
    expect(scan.asked).toEqual(['1', '2', '3'])
    expect(seen).toEqual([0, 4, 5])
  })

  it('stops when its time is spent', async () => {
    const scan = fakeScan([0, 0, 0, 0, 0, 0], 1000)
    const end = await keepScanning({ cursor: '0', goal: { matches: 100, seconds: 2 }, ...scan, onPage: () => {}, signal: new AbortController().signal })
    expect(end).toBe('time')
    expect(scan.asked).toHaveLength(2)
  })

  it('ends with the scan', async () => {
    const scan = fakeScan([1, 2, 3])
    let total = 0
    const end = await keepScanning({ cursor: null, goal: ALL_OF_IT, ...scan, onPage: (page) => (total += page.found), signal: new AbortController().signal })
    expect(end).toBe('complete')
    expect(total).toBe(6)
  })

  it('asks for the matches still wanted', async () => {
    const wanted: number[] = []
    await keepScanning({
      cursor: 'x',
      goal: { matches: 10, seconds: 60 },
      fetchPage: async (_cursor, still) => {
        wanted.push(still)
        return { found: 4, cursor: 'x' }
      },
      onPage: () => {},
      signal: new AbortController().signal,
      clock: () => 0,
    })
    expect(wanted).toEqual([10, 6, 2])
  })

  it('drops the page in flight when stopped', async () => {
    const stop = new AbortController()
    const seen: ScanStep[] = []
    const end = await keepScanning({
      cursor: 'a',
      goal: ALL_OF_IT,
      fetchPage: async (_cursor, _wanted, signal) => {
        stop.abort()
        if (signal.aborted) throw new DOMException('stopped', 'AbortError')
        return { found: 1, cursor: 'b' }
      },
      onPage: (page) => seen.push(page),
      signal: stop.signal,
      clock: () => 0,
    })
    expect(end).toBe('stopped')
    expect(seen).toEqual([])
  })

  it('passes a failure on', async () => {
    const failing = keepScanning({
      cursor: null,
      goal: ALL_OF_IT,
      fetchPage: async () => {
        throw new Error('Redis not answering')
      },
      onPage: () => {},
      signal: new AbortController().signal,
    })
    await expect(failing).rejects.toThrow('Redis not answering')
  })
})
