import type { Tick } from './waterfall'

/** The waterfall's top row: the span column's title, and the time axis with its ticks. */
export function WaterfallHeader({ ticks, spanCount }: { ticks: readonly Tick[]; spanCount: number }) {
  return (
    <div className="gyr-wf-header" role="row">
      <div className="gyr-wf-name" role="columnheader">
        {spanCount.toLocaleString('en-US')} {spanCount === 1 ? 'span' : 'spans'}
      </div>
      <div className="gyr-wf-timeline" role="columnheader" aria-label="Time from the start of the trace">
        {ticks.map((tick, index) => (
          <span
            key={tick.ms}
            className={`gyr-wf-tick${index === 0 ? ' is-first' : ''}${index > 0 && tick.percent > 92 ? ' is-last' : ''}`}
            style={{ left: `${tick.percent}%` }}
          >
            {tick.label}
          </span>
        ))}
      </div>
    </div>
  )
}
