import { useMemo, type ReactNode } from 'react'
import { Empty, Flex, Segmented, Skeleton, Typography, theme } from 'antd'
import dayjs from 'dayjs'
import {
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts'
import { buildChart, RANGES, timeTicks, type ChartPoint, type RangeKey } from './chart'
import { numericThreshold, stateHex, stateLabel } from './format'
import { useChartResults } from './queries'
import type { Monitor } from './types'
import { QueryError } from '../../components/QueryError'

const VALUE_COLOR = '#1677ff'
const ERROR_COLOR = '#fa541c'
const THRESHOLD_COLOR = '#f5222d'

/** The hovered run: its time, value, state after it, and error. */
function RunTooltip({ active, payload }: Partial<TooltipContentProps<number, string>>) {
  const point = payload?.[0]?.payload as ChartPoint | undefined
  if (!active || !point) return null
  return (
    <div
      style={{ background: '#fff', border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', boxShadow: '0 2px 8px rgba(0,0,0,.12)', maxWidth: 360 }}
    >
      <div style={{ fontWeight: 600, marginBottom: 4 }}>{dayjs(point.t).format('YYYY-MM-DD HH:mm:ss')}</div>
      <div>
        Value: <b>{point.valueText ?? (point.value ?? '—')}</b>
      </div>
      <div>
        State: <span style={{ color: stateHex(point.state), fontWeight: 600 }}>{stateLabel(point.state)}</span> ({point.outcome})
      </div>
      {point.error && <div style={{ color: ERROR_COLOR, marginTop: 4, whiteSpace: 'pre-wrap' }}>{point.error.slice(0, 300)}</div>}
    </div>
  )
}

interface Props {
  monitor: Pick<Monitor, 'id' | 'condition' | 'last_run_at'>
  range: RangeKey
  onRange: (range: RangeKey) => void
  /** The Run now button offered when there are no runs yet. */
  runNow: ReactNode
}

/**
 * The monitor's value over time: a line of the values, the threshold dashed, the
 * background tinted by state, and runs that failed with an error as points on the axis.
 */
export function ValueChart({ monitor, range, onRange, runNow }: Props) {
  const { token } = theme.useToken()
  const results = useChartResults(monitor.id, range)
  const threshold = numericThreshold(monitor.condition)
  const end = results.data?.fetchedAt ?? 0
  const chart = useMemo(() => buildChart(results.data?.items ?? [], threshold, end), [results.data, threshold, end])
  const start = end - RANGES[range].ms
  const format = RANGES[range].format

  const selector = (
    <Segmented<RangeKey>
      size="small"
      value={range}
      onChange={onRange}
      options={(Object.keys(RANGES) as RangeKey[]).map((key) => ({ value: key, label: <span data-testid={`range-${key}`}>{key}</span> }))}
    />
  )

  let body: ReactNode
  if (results.isError) {
    body = <QueryError query={results} title="Cannot load the runs" />
  } else if (results.isPending) {
    body = <Skeleton active paragraph={{ rows: 5 }} />
  } else if (chart.points.length === 0) {
    body = (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={monitor.last_run_at ? `No runs in the last ${RANGES[range].label}.` : 'No runs yet — run it now to see a first value.'} data-testid="chart-empty">
        {runNow}
      </Empty>
    )
  } else {
    body = (
      <div data-testid="value-chart" data-range={range} data-fresh={!results.isPlaceholderData} style={{ width: '100%', height: 280 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={chart.points} margin={{ top: 20, right: 24, bottom: 4, left: 4 }}>
            <CartesianGrid stroke={token.colorBorderSecondary} strokeDasharray="3 3" vertical={false} />
            {chart.bands.map((band) => (
              <ReferenceArea
                key={`${band.state}-${band.from}`}
                x1={Math.max(band.from, start)}
                x2={band.to}
                fill={stateHex(band.state)}
                fillOpacity={band.state === 'OK' ? 0.06 : 0.12}
                strokeOpacity={0}
                ifOverflow="hidden"
              />
            ))}
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[start, end]}
              ticks={timeTicks(start, end, range)}
              tickFormatter={(t: number) => dayjs(t).format(format)}
              tick={{ fontSize: 12, fill: token.colorTextSecondary }}
              stroke={token.colorBorder}
              minTickGap={24}
            />
            <YAxis
              domain={chart.domain}
              ticks={chart.ticks}
              interval={0}
              width={56}
              tick={{ fontSize: 12, fill: token.colorTextSecondary }}
              stroke={token.colorBorder}
              tickFormatter={(v: number) => v.toLocaleString()}
            />
            <Tooltip content={<RunTooltip />} />
            {threshold != null && (
              <ReferenceLine
                y={threshold}
                className="threshold-line"
                stroke={THRESHOLD_COLOR}
                strokeDasharray="6 4"
                strokeWidth={1.5}
                label={{
                  value: `threshold ${monitor.condition.operator} ${threshold}`,
                  position: 'insideBottomLeft',
                  fill: THRESHOLD_COLOR,
                  fontSize: 12,
                }}
              />
            )}
            <Line
              dataKey="value"
              name="Value"
              type="linear"
              stroke={VALUE_COLOR}
              strokeWidth={2}
              dot={chart.points.length <= 80 ? { r: 3, fill: VALUE_COLOR } : false}
              activeDot={{ r: 5 }}
              connectNulls={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="errorMark"
              name="Error"
              stroke="none"
              dot={{ r: 4, fill: ERROR_COLOR, stroke: '#fff', strokeWidth: 1 }}
              activeDot={false}
              legendType="none"
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    )
  }

  return (
    <div>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 12 }}>
        <ChartLegend threshold={threshold} />
        {selector}
      </Flex>
      {body}
      {results.data && results.data.total > results.data.items.length && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          Showing the latest {results.data.items.length} of {results.data.total} runs in this range.
        </Typography.Text>
      )}
    </div>
  )
}

/** What the marks mean, since the chart has no room for a legend of state colours. */
function ChartLegend({ threshold }: { threshold: number | null }) {
  const swatch = (color: string, label: string, shape: 'line' | 'dash' | 'dot' | 'box' | 'dot-box') => (
    <Flex gap={6} align="center" key={label}>
      {shape === 'line' && <span style={{ width: 16, height: 2, background: color }} />}
      {shape === 'dash' && <span style={{ width: 16, borderTop: `2px dashed ${color}` }} />}
      {shape === 'dot' && <span style={{ width: 8, height: 8, borderRadius: 4, background: color }} />}
      {shape === 'box' && <span style={{ width: 12, height: 12, background: color, opacity: 0.35, borderRadius: 2 }} />}
      {shape === 'dot-box' && (
        <span style={{ width: 12, height: 12, background: `${stateHex('ERROR')}59`, borderRadius: 2, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <span style={{ width: 6, height: 6, borderRadius: 3, background: ERROR_COLOR }} />
        </span>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label}
      </Typography.Text>
    </Flex>
  )
  return (
    <Flex gap={14} wrap align="center">
      {swatch(VALUE_COLOR, 'value', 'line')}
      {threshold != null && swatch(THRESHOLD_COLOR, 'threshold', 'dash')}
      {swatch(stateHex('ALERTING'), 'alerting', 'box')}
      {/* One entry for errors: the failed run's mark and the time spent in the error state. */}
      {swatch(ERROR_COLOR, 'error (the check could not run)', 'dot-box')}
      {swatch(stateHex('OK'), 'ok', 'box')}
    </Flex>
  )
}
