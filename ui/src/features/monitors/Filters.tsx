import { Select } from 'antd'
import { SEVERITIES, STATES, stateLabel } from './format'

interface Props {
  value: string
  onChange: (value: string) => void
}

/** The service filter: the services the user can see, searchable. */
export function ServiceSelect({ value, onChange, services }: Props & { services: readonly string[] }) {
  return (
    <Select
      allowClear
      showSearch
      placeholder="Service"
      aria-label="Filter by service"
      value={value || undefined}
      onChange={(next?: string) => onChange(next ?? '')}
      options={services.map((name) => ({ value: name, label: name }))}
      style={{ width: 200, maxWidth: '100%' }}
      data-testid="filter-service"
    />
  )
}

export function StateSelect({ value, onChange }: Props) {
  return (
    <Select
      allowClear
      placeholder="State"
      aria-label="Filter by state"
      value={value || undefined}
      onChange={(next?: string) => onChange(next ?? '')}
      options={STATES.map((state) => ({ value: state, label: <span data-testid={`state-option-${state}`}>{stateLabel(state)}</span> }))}
      style={{ width: 150 }}
      data-testid="filter-state"
    />
  )
}

export function SeveritySelect({ value, onChange }: Props) {
  return (
    <Select
      allowClear
      placeholder="Severity"
      aria-label="Filter by severity"
      value={value || undefined}
      onChange={(next?: string) => onChange(next ?? '')}
      options={SEVERITIES.map((severity) => ({ value: severity, label: severity }))}
      style={{ width: 150 }}
      data-testid="filter-severity"
    />
  )
}
