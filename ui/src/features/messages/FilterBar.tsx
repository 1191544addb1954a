import { AutoComplete, Button, DatePicker, Flex, Input, InputNumber, Select, Space, Tooltip, Typography } from 'antd'
import { MinusCircleOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import { OPERATORS, takesValue, type BrowserFilters, type Match } from './filters'
import type { FieldInfo, FilterOp } from './types'

interface Props {
  draft: BrowserFilters
  onChange: (draft: BrowserFilters) => void
  onApply: () => void
  onClear: () => void
  /** The indexed fields to search by. */
  indexed: string[]
  /** Every field of the message type, for the filter rows (empty: type a path). */
  fields: FieldInfo[]
  filtered: boolean
}

/** Quick time ranges, counted from the moment the picker is drawn. */
function presets(): { label: string; value: [Dayjs, Dayjs] }[] {
  const now = dayjs()
  const ranges: [string, number, dayjs.ManipulateType][] = [
    ['Last 15 minutes', 15, 'minute'],
    ['Last hour', 1, 'hour'],
    ['Last 24 hours', 24, 'hour'],
    ['Last 7 days', 7, 'day'],
  ]
  return ranges.map(([label, amount, unit]) => ({ label, value: [now.subtract(amount, unit), now.add(1, 'minute')] }))
}

const MAX_FILTERS = 10

/** The browser's filters: time, key, header, an indexed field, and rows on any decoded field. */
export function FilterBar({ draft, onChange, onApply, onClear, indexed, fields, filtered }: Props) {
  const set = (change: Partial<BrowserFilters>) => onChange({ ...draft, ...change })
  const setRow = (index: number, change: Partial<BrowserFilters['where'][number]>) =>
    set({ where: draft.where.map((row, i) => (i === index ? { ...row, ...change } : row)) })
  const fieldOptions = fields.map((field) => ({
    value: field.path,
    label: (
      <Flex justify="space-between" gap={8}>
        <span>{field.path}</span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {field.repeated ? `repeated ${field.type}` : field.type}
        </Typography.Text>
      </Flex>
    ),
  }))
  const range: [Dayjs | null, Dayjs | null] = [draft.since ? dayjs(draft.since) : null, draft.until ? dayjs(draft.until) : null]
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        onApply()
      }}
      data-testid="message-filters"
    >
      <Flex vertical gap={8}>
        <Flex gap={8} wrap>
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            value={range}
            presets={presets()}
            placeholder={['From', 'Until']}
            onChange={(values) => set({ since: values?.[0]?.toISOString() ?? '', until: values?.[1]?.toISOString() ?? '' })}
            style={{ flex: '1 1 300px', maxWidth: 380 }}
            data-testid="filter-time"
          />
          <Input
            allowClear
            placeholder="Key, exactly"
            aria-label="Key"
            value={draft.key}
            onChange={(event) => set({ key: event.target.value })}
            style={{ flex: '1 1 160px', maxWidth: 240 }}
            data-testid="filter-key"
          />
          <Space.Compact style={{ flex: '1 1 260px', maxWidth: 360 }}>
            <Input
              allowClear
              placeholder="Header"
              aria-label="Header name"
              value={draft.header}
              onChange={(event) => set({ header: event.target.value })}
              style={{ width: '45%' }}
              data-testid="filter-header"
            />
            <Input
              allowClear
              placeholder="value (any if empty)"
              aria-label="Header value"
              value={draft.headerValue}
              disabled={!draft.header}
              onChange={(event) => set({ headerValue: event.target.value })}
              style={{ width: '55%' }}
              data-testid="filter-header-value"
            />
          </Space.Compact>
          <Space.Compact style={{ flex: '0 1 250px' }}>
            <InputNumber
              min={0}
              placeholder="Partition"
              aria-label="Partition"
              value={draft.partition}
              onChange={(value) => set({ partition: value ?? null })}
              style={{ width: '40%' }}
              data-testid="filter-partition"
            />
            <InputNumber
              min={0}
              placeholder="From offset"
              aria-label="From offset"
              value={draft.offsetMin}
              onChange={(value) => set({ offsetMin: value ?? null })}
              style={{ width: '60%' }}
              data-testid="filter-offset-min"
            />
          </Space.Compact>
        </Flex>
        <Flex gap={8} wrap style={{ maxWidth: 720 }}>
            <Tooltip title={indexed.length === 0 ? 'No indexed field: add some to the subscription to search by them' : 'Search by an indexed business field'}>
              <Select
                allowClear
                showSearch
                placeholder="Indexed field"
                aria-label="Indexed field"
                value={draft.field || undefined}
                onChange={(value?: string) => set({ field: value ?? '' })}
                options={indexed.map((path) => ({ value: path, label: path }))}
                notFoundContent="No indexed field"
                style={{ flex: '1 1 200px', minWidth: 0 }}
                data-testid="filter-field"
              />
            </Tooltip>
            <Select<Match>
              value={draft.match}
              onChange={(match) => set({ match })}
              aria-label="Match"
              options={[
                { value: 'exact', label: 'is' },
                { value: 'prefix', label: 'starts with' },
              ]}
              style={{ flex: '0 0 130px' }}
              data-testid="filter-match"
            />
            <Input
              allowClear
              placeholder="Value"
              aria-label="Indexed field value"
              value={draft.value}
              disabled={!draft.field}
              onChange={(event) => set({ value: event.target.value })}
              style={{ flex: '1 1 180px', minWidth: 0 }}
              data-testid="filter-value"
            />
        </Flex>
        {draft.where.map((row, index) => (
          <Flex key={index} gap={8} wrap align="center" style={{ maxWidth: 760 }} data-testid={`filter-row-${index}`}>
              <AutoComplete
                value={row.field}
                onChange={(field: string) => setRow(index, { field })}
                options={fieldOptions}
                filterOption={(input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
                placeholder="Field, e.g. order.total.units"
                aria-label={`Filter ${index + 1} field`}
                style={{ flex: '1 1 200px', minWidth: 0 }}
                popupMatchSelectWidth={320}
                data-testid={`filter-row-field-${index}`}
              />
              <Select<FilterOp>
                value={row.op}
                onChange={(op) => setRow(index, { op })}
                options={OPERATORS}
                aria-label={`Filter ${index + 1} operator`}
                style={{ flex: '0 0 130px' }}
                data-testid={`filter-row-op-${index}`}
              />
              <Input
                value={row.value ?? ''}
                disabled={!takesValue(row.op)}
                onChange={(event) => setRow(index, { value: event.target.value })}
                placeholder={takesValue(row.op) ? 'Value' : ''}
                aria-label={`Filter ${index + 1} value`}
                style={{ flex: '1 1 140px', minWidth: 0 }}
                data-testid={`filter-row-value-${index}`}
              />
            <Button
              type="text"
              icon={<MinusCircleOutlined />}
              aria-label={`Remove filter ${index + 1}`}
              onClick={() => set({ where: draft.where.filter((_, i) => i !== index) })}
            />
          </Flex>
        ))}
        <Flex gap={8} wrap align="center">
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            disabled={draft.where.length >= MAX_FILTERS}
            onClick={() => set({ where: [...draft.where, { field: '', op: 'eq', value: '' }] })}
            data-testid="filter-add"
          >
            Add filter
          </Button>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="filter-apply">
            Search
          </Button>
          {filtered && (
            <Button onClick={onClear} data-testid="filter-clear">
              Clear filters
            </Button>
          )}
        </Flex>
      </Flex>
    </form>
  )
}
