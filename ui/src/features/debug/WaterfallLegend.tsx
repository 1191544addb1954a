import type { CSSProperties } from 'react'
import { KIND_LABELS } from './format'
import type { SpanKind } from './types'
import { FAILING_COLOR, KIND_COLORS, SKIPPED_COLOR } from './waterfall'

function Swatch({ color, style }: { color: string; style?: CSSProperties }) {
  return <span className="gyr-wf-swatch" style={{ backgroundColor: color, ...style }} />
}

/** What the colours and marks of the waterfall mean; folded on a phone, where it would
 * push the spans below the fold. */
export function WaterfallLegend({ kinds, folded }: { kinds: readonly SpanKind[]; folded: boolean }) {
  const legend = (
    <div className="gyr-wf-legend" data-testid="waterfall-legend">
      {kinds.map((kind) => (
        <span key={kind} className="gyr-wf-legend-item">
          <Swatch color={KIND_COLORS[kind]} /> {KIND_LABELS[kind]}
        </span>
      ))}
      <span className="gyr-wf-legend-item">
        <Swatch color={FAILING_COLOR} /> error or timeout
      </span>
      <span className="gyr-wf-legend-item">
        <Swatch color={SKIPPED_COLOR} /> skipped
      </span>
      <span className="gyr-wf-legend-item" title="The chain of spans the request's end waited for; spans drawn paler ran alongside it">
        <Swatch color="#595959" /> <Swatch color="#595959" style={{ opacity: 0.45, marginLeft: -2 }} /> critical path solid, the rest paler
      </span>
      <span className="gyr-wf-legend-item" title="The spans whose own time (not spent in their children) weighs most in the trace">
        <Swatch color="#d9d9d9" style={{ outline: '2px solid #fa8c16', outlineOffset: 1 }} /> slowest: most time of their own
      </span>
    </div>
  )
  if (!folded) return legend
  return (
    <details>
      <summary style={{ cursor: 'pointer', fontSize: 12, color: 'rgba(0, 0, 0, 0.65)' }}>What the colours mean</summary>
      {legend}
    </details>
  )
}
