import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react'
import { Button, Flex, Grid } from 'antd'
import { useVirtualizer } from '@tanstack/react-virtual'
import { SpanDetails } from './SpanDetails'
import type { Trace } from './types'
import { useRenderTiming } from './useRenderTiming'
import { axisTicks, axisTotal, findSpan, flattenSpans, parentIds, spanKinds } from './waterfall'
import { WaterfallHeader } from './WaterfallHeader'
import { WaterfallLegend } from './WaterfallLegend'
import { WaterfallRow } from './WaterfallRow'
import './waterfall.css'

const HEADER_HEIGHT = 30
/** Rows drawn beyond the visible ones: scrolling shows drawn rows, and a trace of a few
 * dozen spans is drawn whole. */
const OVERSCAN = 40

/** A wide screen puts the name beside the bar (scrolling sideways only when the window
 * is too narrow for both), a tablet gives the name less room, a phone stacks them (see
 * waterfall.css). */
const LAYOUTS = {
  wide: { stacked: false, rowHeight: 28, nameWidth: 360, minWidth: 360 + 480, indent: 14, ticks: 6 },
  medium: { stacked: false, rowHeight: 28, nameWidth: 220, minWidth: 220 + 320, indent: 10, ticks: 4 },
  phone: { stacked: true, rowHeight: 40, nameWidth: 0, minWidth: 0, indent: 8, ticks: 3 },
}

function useLayout() {
  const screens = Grid.useBreakpoint()
  // Before the first measure the breakpoints are unknown: the wide layout, as on a desktop.
  if (screens.sm === false) return LAYOUTS.phone
  return screens.lg === false ? LAYOUTS.medium : LAYOUTS.wide
}

/**
 * The trace's spans on a time axis, one row each, nested as they called each other. Only
 * the rows in view (and a margin) are in the page, so a trace of thousands of spans draws
 * as fast as a small one. The parent keys it by run, so a new trace starts afresh.
 */
export function Waterfall({ trace }: { trace: Trace }) {
  useRenderTiming(trace)
  const layout = useLayout()
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set())
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const scrollRef = useRef<HTMLDivElement>(null)

  const rows = useMemo(() => flattenSpans(trace.spans, collapsed), [trace, collapsed])
  const parents = useMemo(() => parentIds(trace.spans), [trace])
  const kinds = useMemo(() => spanKinds(trace.spans), [trace])
  const totalMs = axisTotal(trace.duration_ms, trace.spans)
  const ticks = useMemo(() => axisTicks(totalMs, layout.ticks), [totalMs, layout.ticks])
  const selected = selectedId === null ? null : findSpan(trace.spans, selectedId)

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => layout.rowHeight,
    overscan: OVERSCAN,
    paddingStart: HEADER_HEIGHT,
    // Before the box is measured, as if it were the usual size: the first paint has its rows.
    initialRect: { width: 1000, height: 600 },
  })

  // The rows' height changes with the layout: the offsets computed with the old one are stale.
  const measuredHeight = useRef(layout.rowHeight)
  useEffect(() => {
    if (measuredHeight.current === layout.rowHeight) return
    measuredHeight.current = layout.rowHeight
    virtualizer.measure()
  }, [virtualizer, layout.rowHeight])

  const toggle = useCallback(
    (spanId: string) =>
      setCollapsed((previous) => {
        const next = new Set(previous)
        if (!next.delete(spanId)) next.add(spanId)
        return next
      }),
    [],
  )
  const gridStep = ticks.length > 1 ? ticks[1].percent : 100
  const canvasStyle = {
    height: virtualizer.getTotalSize(),
    minWidth: layout.minWidth,
    '--gyr-wf-row': `${layout.rowHeight}px`,
    '--gyr-wf-header': `${HEADER_HEIGHT}px`,
    '--gyr-wf-name-width': `${layout.nameWidth}px`,
    // The grid lines behind the bars, one per tick.
    '--gyr-wf-grid': `${gridStep}%`,
  } as CSSProperties

  return (
    <div data-testid="waterfall">
      <Flex justify="space-between" align="flex-start" gap={12} wrap style={{ marginBottom: 8 }}>
        <WaterfallLegend kinds={kinds} folded={layout.stacked} />
        {parents.length > 0 && (
          <Flex gap={4}>
            <Button size="small" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0} data-testid="waterfall-expand-all">
              Expand all
            </Button>
            <Button size="small" onClick={() => setCollapsed(new Set(parents))} data-testid="waterfall-collapse-all">
              Collapse all
            </Button>
          </Flex>
        )}
      </Flex>
      <div className={`gyr-wf-scroll${layout.stacked ? ' is-stacked' : ''}`} ref={scrollRef} role="tree" aria-label="Spans of the trace">
        <div className="gyr-wf-canvas" style={canvasStyle}>
          <WaterfallHeader ticks={ticks} spanCount={trace.span_count} />
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]
            return (
              <WaterfallRow
                key={row.span.id}
                row={row}
                totalMs={totalMs}
                indent={layout.indent}
                selected={row.span.id === selectedId}
                offset={item.start}
                onSelect={setSelectedId}
                onToggle={toggle}
              />
            )
          })}
        </div>
      </div>
      <SpanDetails span={selected} onClose={() => setSelectedId(null)} />
    </div>
  )
}
