import { useEffect, useState } from 'react'
import { Button, Card, DatePicker, Empty, Flex, Input, Select, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { Link, useLocation, useNavigate, useNavigationType } from 'react-router'
import type { AuditRecord } from '../../api/types'
import { PagedTable } from '../../components/PagedTable'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { useListParams } from '../../components/useListParams'
import { useDebounced } from '../../components/useDebounced'
import { FILTER_KEYS, filtersFromParams, isFiltered, sameFilters, type AuditFilters, type FilterKey } from './format'
import { useAuditFacets, useAuditRecords } from './queries'
import { ActionTag, Actor } from './shared'
import { AbsoluteTime } from '../../components/Time'
import { noWrapCell } from '../../components/noWrapCell'

const PAGE_SIZE = 50

type TextFilters = Pick<AuditFilters, FilterKey>

function Dash() {
  return <Typography.Text type="secondary">—</Typography.Text>
}

// Laid out by content: times, actors and actions stay on one line; the object wraps.
const columns: TableColumnsType<AuditRecord> = [
  {
    title: 'Time',
    dataIndex: 'at',
    key: 'at',
    onCell: noWrapCell,
    render: (_: unknown, record) => (
      <Link to={`/audit/${record.id}`} data-testid={`audit-link-${record.id}`} onClick={(event) => event.stopPropagation()}>
        <AbsoluteTime at={record.at} />
      </Link>
    ),
  },
  { title: 'Actor', key: 'actor', onCell: noWrapCell, render: (_: unknown, record) => <Actor record={record} /> },
  { title: 'Action', dataIndex: 'action', key: 'action', onCell: noWrapCell, render: (action: string) => <ActionTag action={action} /> },
  {
    title: 'Object',
    key: 'object',
    render: (_: unknown, record) => (
      <div style={{ minWidth: 0 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {record.object_type}
          {record.object_id ? ` #${record.object_id}` : ''}
        </Typography.Text>
        {record.object_name ? <Typography.Text strong>{record.object_name}</Typography.Text> : <Dash />}
      </div>
    ),
  },
  { title: 'Service', dataIndex: 'service', key: 'service', render: (service: string | null) => service || <Dash /> },
  {
    title: 'Source address',
    dataIndex: 'source_address',
    key: 'source_address',
    onCell: noWrapCell,
    render: (address: string | null) => (address ? <Typography.Text code>{address}</Typography.Text> : <Dash />),
  },
]

function textFilters(filters: AuditFilters): TextFilters {
  const { actor, action, object_type, object_id, service } = filters
  return { actor, action, object_type, object_id, service }
}

/** The filter inputs: typed text reaches the address (and the query) after a short pause. */
function FilterBar({ filters, onChange }: { filters: AuditFilters; onChange: (next: Partial<AuditFilters>) => void }) {
  const [draft, setDraft] = useState<TextFilters>(() => textFilters(filters))
  const debounced = useDebounced(draft, 300)
  const facets = useAuditFacets()

  useEffect(() => {
    const trimmed = Object.fromEntries(Object.entries(debounced).map(([k, v]) => [k, v.trim()])) as TextFilters
    if (!sameFilters({ ...filters, ...trimmed }, filters)) onChange(trimmed)
    // Only typing moves the address; the address moving (back/forward) remounts this bar.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced])

  const set = (key: FilterKey) => (value: string) => setDraft((d) => ({ ...d, [key]: value }))
  const range: [Dayjs | null, Dayjs | null] = [filters.since ? dayjs(filters.since) : null, filters.until ? dayjs(filters.until) : null]
  const text = (key: FilterKey, placeholder: string, label: string, width: number) => (
    <Input
      allowClear
      placeholder={placeholder}
      aria-label={label}
      value={draft[key]}
      onChange={(event) => set(key)(event.target.value)}
      style={{ width, maxWidth: '100%' }}
      data-testid={`audit-filter-${key}`}
    />
  )
  // A picker of the values on record: no exact names to remember, and a new module's
  // actions appear here as soon as they are recorded.
  const pick = (key: FilterKey, values: string[] | undefined, placeholder: string, label: string, width: number) => (
    <Select
      allowClear
      showSearch
      placeholder={placeholder}
      aria-label={label}
      loading={facets.isPending}
      notFoundContent={facets.isError ? 'Cannot load the values' : 'Nothing on record'}
      options={(values ?? []).map((value) => ({ value, label: value }))}
      value={draft[key] || undefined}
      onChange={(value: string | undefined) => set(key)(value ?? '')}
      style={{ width, maxWidth: '100%' }}
      popupMatchSelectWidth={false}
      data-testid={`audit-filter-${key}`}
    />
  )

  return (
    <Flex gap={12} wrap style={{ marginBottom: 16 }}>
      {pick('actor', facets.data?.actors, 'Actor', 'Filter by actor', 160)}
      {pick('action', facets.data?.actions, 'Action', 'Filter by action', 200)}
      {pick('object_type', facets.data?.object_types, 'Object type', 'Filter by object type', 170)}
      {text('object_id', 'Object id', 'Filter by object id', 120)}
      {pick('service', facets.data?.services, 'Service', 'Filter by service', 160)}
      <span data-testid="audit-filter-time">
        <DatePicker.RangePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          allowEmpty={[true, true]}
          value={range}
          placeholder={['Since', 'Until']}
          aria-label="Time range"
          presets={[
            { label: 'Last hour', value: [dayjs().subtract(1, 'hour'), dayjs()] },
            { label: 'Last 24 hours', value: [dayjs().subtract(1, 'day'), dayjs()] },
            { label: 'Last 7 days', value: [dayjs().subtract(7, 'day'), dayjs()] },
            { label: 'Last 30 days', value: [dayjs().subtract(30, 'day'), dayjs()] },
          ]}
          onChange={(values) =>
            onChange({ since: values?.[0]?.toISOString() ?? '', until: values?.[1]?.toISOString() ?? '' })
          }
        />
      </span>
    </Flex>
  )
}

const AUDIT_PARAMS = [...FILTER_KEYS, 'since', 'until'] as const

export function AuditLogPage() {
  usePageTitle({ title: 'Audit log', path: '/audit' })
  const list = useListParams(AUDIT_PARAMS)
  const navigate = useNavigate()
  const location = useLocation()
  const navigationType = useNavigationType()
  const filters = filtersFromParams(list.params)
  const { page, goToPage } = list
  const records = useAuditRecords(filters, PAGE_SIZE, (page - 1) * PAGE_SIZE)
  const filtered = isFiltered(filters)

  const applyFilters = (next: Partial<AuditFilters>) =>
    list.setFilters(Object.fromEntries(Object.entries(next).map(([key, value]) => [key, (value ?? '').trim()])))

  const clearKey = `cleared-${location.key}`
  const [barKey, setBarKey] = useState('filters')
  const clearFilters = () => {
    list.clear()
    setBarKey(clearKey)
  }

  const empty = filtered ? (
    <Empty description="No audit record matches these filters." data-testid="audit-empty-filtered">
      <Button onClick={clearFilters}>Clear filters</Button>
    </Empty>
  ) : (
    <Empty description="Nothing has been recorded yet." data-testid="audit-empty" />
  )

  return (
    <div data-testid="audit-page">
      <PageHeading
        title="Audit log"
        subtitle="Every change to the platform, who made it and from where, newest first."
        extra={filtered ? <Button onClick={clearFilters} data-testid="audit-clear-filters">Clear filters</Button> : undefined}
      />
      <Card styles={{ body: { padding: 16 } }}>
        <FilterBar
          key={navigationType === 'POP' ? `pop-${location.key}` : barKey}
          filters={filters}
          onChange={applyFilters}
        />
        <PagedTable<AuditRecord>
          query={records}
          columns={columns}
          testId="audit-table"
          rowProps={(record) => ({
            'data-testid': `audit-row-${record.id}`,
            style: { cursor: 'pointer' },
            onClick: () => navigate(`/audit/${record.id}`),
          })}
          empty={empty}
          noun={{ one: 'record', many: 'records' }}
          page={page}
          pageSize={PAGE_SIZE}
          onPage={goToPage}
          scrollX={900}
          errorTitle="Cannot load the audit log"
        />
      </Card>
    </div>
  )
}
