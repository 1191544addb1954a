import { Space, Tag, Tooltip } from 'antd'
import type { Service } from '../../../api/types'

const KINDS: { key: keyof Service['connections']; short: string; label: string }[] = [
  { key: 'datasources', short: 'DB', label: 'Datasources' },
  { key: 'redis', short: 'Redis', label: 'Redis instances' },
  { key: 'job_backends', short: 'Jobs', label: 'Job backends' },
  { key: 'debug_endpoints', short: 'Debug', label: 'Debug endpoints' },
]

export function ConnectionCounts({ counts }: { counts: Service['connections'] }) {
  return (
    <Space size={4} wrap>
      {KINDS.map(({ key, short, label }) => {
        const count = counts[key] ?? 0
        return (
          <Tooltip key={key} title={`${count} ${label.toLowerCase()}`}>
            <Tag color={count > 0 ? 'blue' : undefined} style={{ marginInlineEnd: 0 }}>
              {short} {count}
            </Tag>
          </Tooltip>
        )
      })}
    </Space>
  )
}
