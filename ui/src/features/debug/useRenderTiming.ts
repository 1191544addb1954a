import { useEffect, useMemo } from 'react'

const RENDER_START_MARK = 'waterfall:start'
const RENDER_MEASURE = 'waterfall:render'

/**
 * Times how long a new `subject` (a trace) takes to reach the screen, as the
 * `waterfall:render` performance measure, which bench/debug_waterfall.py reads. Call it
 * first in the component, so the mark comes before any of the work it times.
 */
export function useRenderTiming(subject: unknown): void {
  // Marked while rendering, once per subject: the render itself is part of what is timed.
  useMemo(() => performance.mark(RENDER_START_MARK), [subject])
  useEffect(() => {
    let timer: number | undefined
    // The frame's callback runs before it paints; the task queued from it runs after.
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => performance.measure(RENDER_MEASURE, RENDER_START_MARK), 0)
    })
    return () => {
      cancelAnimationFrame(frame)
      window.clearTimeout(timer)
    }
  }, [subject])
}
