import { memo, type CSSProperties, type KeyboardEvent } from 'react'
import { CaretDownOutlined, CaretRightOutlined } from '@ant-design/icons'
import { formatMs } from './format'
import { KindIcon } from './KindIcon'
import { barColor, barGeometry, isFailing, labelPlace, type BarGeometry, type LabelPlace, type WaterfallRow as Row } from './waterfall'

interface Props {
  row: Row
  totalMs: number
  /** Pixels each level of nesting indents the name. */
  indent: number
  selected: boolean
  /** Its place in the list: rows are absolutely positioned (see Waterfall). */
  offset: number
  onSelect: (spanId: string) => void
  onToggle: (spanId: string) => void
}

function durationPosition(geometry: BarGeometry, place: LabelPlace): CSSProperties {
  switch (place) {
    case 'after':
      return { left: `calc(${geometry.leftPercent + geometry.widthPercent}% + 6px)` }
    case 'before':
      return { left: `calc(${geometry.leftPercent}% - 6px)` }
    case 'inside':
      return { left: `calc(${geometry.leftPercent}% + 6px)` }
  }
}

/** One span: its name in the tree, and its bar on the time axis. */
export const WaterfallRow = memo(function WaterfallRow({ row, totalMs, indent, selected, offset, onSelect, onToggle }: Props) {
  const { span, depth, hasChildren, expanded } = row
  const geometry = barGeometry(span, totalMs)
  const place = labelPlace(geometry)
  const classes = ['gyr-wf-row', selected && 'is-selected', isFailing(span) && 'is-failing'].filter(Boolean).join(' ')
  const barClasses = ['gyr-wf-bar', span.critical && 'is-critical', span.slowest && 'is-slowest', span.status === 'skipped' && 'is-skipped']
    .filter(Boolean)
    .join(' ')
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') onSelect(span.id)
    else if (hasChildren && event.key === (expanded ? 'ArrowLeft' : 'ArrowRight')) onToggle(span.id)
    else return
    event.preventDefault()
  }
  return (
    <div
      className={classes}
      style={{ transform: `translateY(${offset}px)` }}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={hasChildren ? expanded : undefined}
      aria-selected={selected}
      tabIndex={0}
      onClick={() => onSelect(span.id)}
      onKeyDown={onKeyDown}
      data-testid={`waterfall-row-${span.id}`}
      data-status={span.status}
      data-critical={span.critical}
      data-slowest={span.slowest}
    >
      <div className="gyr-wf-name" style={{ paddingLeft: 4 + depth * indent }} title={span.target ? `${span.name} — ${span.target}` : span.name}>
        <span
          className="gyr-wf-caret"
          onClick={(event) => {
            if (!hasChildren) return
            event.stopPropagation()
            onToggle(span.id)
          }}
          aria-hidden
        >
          {hasChildren && (expanded ? <CaretDownOutlined /> : <CaretRightOutlined />)}
        </span>
        <KindIcon kind={span.kind} />
        <span className="gyr-wf-label">
          <strong style={{ fontWeight: span.critical ? 600 : 400 }}>{span.name}</strong>
          {span.target && <span className="gyr-wf-target">{span.target}</span>}
        </span>
      </div>
      <div className="gyr-wf-timeline">
        <div
          className={barClasses}
          style={{ left: `${geometry.leftPercent}%`, width: `${geometry.widthPercent}%`, backgroundColor: barColor(span) }}
        />
        <span className={`gyr-wf-duration is-${place}`} style={durationPosition(geometry, place)}>
          {formatMs(span.duration_ms)}
          {span.status !== 'ok' && <span>{span.status}</span>}
          {span.slowest && <span className="gyr-wf-slowest-tag">slowest</span>}
        </span>
      </div>
    </div>
  )
})
