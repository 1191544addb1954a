import { Select, Typography } from 'antd'
import type { InstanceSummary } from './types'

interface Props {
  instances: InstanceSummary[]
  picked: InstanceSummary | null
  onPick: (instance: InstanceSummary) => void
}

const valueOf = (instance: Pick<InstanceSummary, 'service' | 'id'>) => `${instance.service}/${instance.id}`

/** The Redis instances in reach, grouped by service, searchable by either name. */
export function InstancePicker({ instances, picked, onPick }: Props) {
  const services = [...new Set(instances.map((item) => item.service))].sort()
  const options = services.map((service) => ({
    label: service,
    title: service,
    options: instances
      .filter((item) => item.service === service)
      .map((item) => ({
        value: valueOf(item),
        // What the search box matches: the service and the instance.
        search: `${item.service} ${item.name}`,
        label: (
          <span data-testid={`instance-option-${item.service}-${item.name}`}>
            {item.service} / <strong>{item.name}</strong>
            <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
              {item.mode}
              {item.read_only ? ' · read-only' : ''}
            </Typography.Text>
          </span>
        ),
      })),
  }))
  return (
    <Select
      showSearch
      optionFilterProp="search"
      placeholder="Pick a Redis instance"
      aria-label="Redis instance"
      value={picked ? valueOf(picked) : undefined}
      onChange={(value: string) => {
        const found = instances.find((item) => valueOf(item) === value)
        if (found) onPick(found)
      }}
      options={options}
      style={{ width: 420, maxWidth: '100%' }}
      data-testid="instance-picker"
    />
  )
}
