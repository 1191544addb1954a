import { Empty } from 'antd'
import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { count, humanBytes } from './format'
import type { Share } from './types'

/** The tags' colors (format.TYPE_COLORS) as the chart needs them. */
const TYPE_HEX: Record<string, string> = {
  string: '#1677ff',
  hash: '#722ed1',
  list: '#52c41a',
  set: '#fa8c16',
  zset: '#eb2f96',
  stream: '#13c2c2',
}
const OTHER_HEX = '#8c8c8c'
const BAR_HEX = '#1677ff'

function shareTooltip(value: unknown, _name: unknown, item: { payload?: Share }) {
  const share = item.payload
  return share ? [`${humanBytes(share.memory)} in ${count(share.keys)} keys`, share.name] : [String(value), '']
}

/** Memory by type, as a pie with a legend (name and memory). */
export function MemoryByTypeChart({ shares }: { shares: Share[] }) {
  if (shares.every((share) => share.memory === 0)) return <Empty description="No memory measured in the sample." />
  return (
    <div data-testid="chart-by-type" style={{ width: '100%', height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <PieChart>
          <Pie data={shares} dataKey="memory" nameKey="name" innerRadius="45%" outerRadius="80%" paddingAngle={1} isAnimationActive={false}>
            {shares.map((share) => (
              <Cell key={share.name} fill={TYPE_HEX[share.name] ?? OTHER_HEX} />
            ))}
          </Pie>
          <Tooltip formatter={shareTooltip} />
          <Legend
            verticalAlign="bottom"
            formatter={(name: string) => {
              const share = shares.find((item) => item.name === name)
              return share ? `${name} · ${humanBytes(share.memory)}` : name
            }}
          />
        </PieChart>
      </ResponsiveContainer>
    </div>
  )
}

/** The prefix's end, when it is too long for the axis: the table beside has it whole. */
function shortName(name: string, room = 22): string {
  return name.length > room ? `…${name.slice(-(room - 1))}` : name
}

interface PrefixProps {
  shares: Share[]
  /** The name an axis shows of a folder (after the instance's prefix). */
  label: (name: string) => string
  narrow: boolean
}

/** The top folders by memory, as horizontal bars. */
export function PrefixChart({ shares, label, narrow }: PrefixProps) {
  if (shares.length === 0) return <Empty description="No key in the sample has the delimiter: no folder to show." />
  const height = Math.max(160, shares.length * 26 + 40)
  return (
    <div data-testid="chart-prefixes" style={{ width: '100%', height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={shares} layout="vertical" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(value: number) => humanBytes(value)} fontSize={11} tickCount={narrow ? 3 : 5} />
          <YAxis type="category" dataKey="name" width={narrow ? 90 : 150} tickFormatter={(name: string) => shortName(label(name), narrow ? 12 : 22)} fontSize={11} interval={0} />
          <Tooltip formatter={shareTooltip} />
          <Bar dataKey="memory" fill={BAR_HEX} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}

/** The buckets' names as the axis has room for; the tooltip says them in full. */
const BUCKET_LABELS: Record<string, string> = {
  'under a minute': '< 1 min',
  '1 minute to 1 hour': '1 min–1 h',
  '1 hour to 1 day': '1 h–1 d',
  '1 day to 1 week': '1 d–1 wk',
  'over a week': '> 1 wk',
  'no expiry': 'no expiry',
}

/** How many keys expire when, bucket by bucket. */
export function TtlChart({ buckets }: { buckets: Share[] }) {
  return (
    <div data-testid="chart-ttl" style={{ width: '100%', height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={buckets} margin={{ left: 0, right: 8, top: 4, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" fontSize={11} interval={0} tickFormatter={(name: string) => BUCKET_LABELS[name] ?? name} angle={-30} textAnchor="end" height={52} />
          <YAxis allowDecimals={false} fontSize={11} width={48} />
          <Tooltip
            labelFormatter={(name) => String(name)}
            formatter={(value: unknown, _name: unknown, item: { payload?: Share }) => [`${count(Number(value))} keys, ${humanBytes(item.payload?.memory ?? 0)}`, 'Keys']}
          />
          <Bar dataKey="keys" isAnimationActive={false}>
            {buckets.map((bucket) => (
              <Cell key={bucket.name} fill={bucket.name === 'no expiry' ? '#faad14' : BAR_HEX} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}
