import { useState } from 'react'
import { Button, Card, Checkbox, Empty, Flex, Input, Space, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { PlusOutlined, SearchOutlined } from '@ant-design/icons'
import { Link, useNavigate, useSearchParams } from 'react-router'
import type { Service } from '../../../api/types'
import { PagedTable } from '../../../components/PagedTable'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { useListParams, useTypedFilter } from '../../../components/useListParams'
import { WriteAction } from '../../../components/WriteAction'
import { NEEDS_CATALOG_WRITE } from '../../auth/permissions'
import { usePermissions } from '../../auth/queries'
import { ConnectionCounts } from './ConnectionCounts'
import { useServices } from './queries'
import { ServiceFormDrawer } from './ServiceFormDrawer'
import { ServiceHealth } from './ServiceHealth'
import { noWrapCell } from '../../../components/noWrapCell'

const PAGE_SIZE = 20

// Laid out by content, like the other lists: the service's name and display name share a
// cell, short facts stay on one line and the base URL wraps, so nothing is cut.
const columns: TableColumnsType<Service> = [
  {
    title: 'Service',
    dataIndex: 'name',
    key: 'name',
    render: (name: string, service) => (
      <div style={{ minWidth: 120 }}>
        <Link to={`/catalog/services/${encodeURIComponent(name)}`} data-testid={`service-link-${name}`}>
          <Typography.Text strong style={{ color: 'inherit' }}>{name}</Typography.Text>
        </Link>
        {service.display_name && service.display_name !== name && (
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {service.display_name}
          </Typography.Text>
        )}
      </div>
    ),
  },
  {
    title: 'Health',
    key: 'health',
    render: (_: unknown, service) => <ServiceHealth service={service} />,
  },
  {
    title: 'Team',
    dataIndex: 'team',
    key: 'team',
    onCell: noWrapCell,
    render: (team: string | null) => (team ? team : <Typography.Text type="secondary">—</Typography.Text>),
  },
  {
    title: 'Tags',
    dataIndex: 'tags',
    key: 'tags',
    render: (tags: string[]) =>
      tags.length ? (
        <Space size={[4, 4]} wrap>
          {tags.map((tag) => (
            <Tag key={tag} style={{ marginInlineEnd: 0 }}>{tag}</Tag>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      ),
  },
  {
    title: 'Connections',
    key: 'connections',
    render: (_: unknown, service) => <ConnectionCounts counts={service.connections} />,
  },
  {
    title: 'Base URL',
    dataIndex: 'base_url',
    key: 'base_url',
    render: (url: string | null) =>
      url ? (
        <Typography.Link href={url} target="_blank" rel="noreferrer" style={{ overflowWrap: 'anywhere' }}>
          {url}
        </Typography.Link>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      ),
  },
]

export function ServicesPage() {
  usePageTitle({ title: 'Service catalog', path: '/catalog' }, { title: 'Services' })
  const list = useListParams(['q', 'team', 'attention'] as const)
  const navigate = useNavigate()
  // `?new=service` (the getting-started checklist's link) opens the form at once.
  const [search] = useSearchParams()
  const [creating, setCreating] = useState(search.get('new') === 'service')
  const [qInput, setQInput] = useTypedFilter(list, 'q')
  const [teamInput, setTeamInput] = useTypedFilter(list, 'team')
  const { q, team } = list.filters
  const attention = list.filters.attention === 'true'
  const { page, goToPage, filtered } = list
  const filter = { q, team, attention, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }
  const services = useServices(filter)
  // Creating needs write reaching the new service's team; the API checks that on save.
  const canCreate = usePermissions().canAny('catalog', 'write')

  const clearFilters = () => {
    setQInput('')
    setTeamInput('')
    list.setFilter('attention', '')
  }

  const newButton = (
    <WriteAction allowed={canCreate} reason={NEEDS_CATALOG_WRITE}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-service">
        New service
      </Button>
    </WriteAction>
  )

  const empty = filtered ? (
    <Empty description="No service matches these filters." data-testid="services-empty-filtered">
      <Button onClick={clearFilters}>Clear filters</Button>
    </Empty>
  ) : (
    <Empty description="No services registered yet. Register the first one to track its connections." data-testid="services-empty">
      <WriteAction allowed={canCreate} reason={NEEDS_CATALOG_WRITE}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="empty-new-service">
          Register a service
        </Button>
      </WriteAction>
    </Empty>
  )

  return (
    <div data-testid="services-page">
      <PageHeading
        title="Services"
        subtitle="The microservices your teams run, with the datasources, caches, job systems and debug endpoints they use."
        extra={newButton}
      />
      <Card styles={{ body: { padding: 16 } }}>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input
            allowClear
            prefix={<SearchOutlined aria-hidden />}
            placeholder="Search name, description, team or tag"
            aria-label="Search services"
            value={qInput}
            onChange={(event) => setQInput(event.target.value)}
            style={{ width: 340, maxWidth: '100%' }}
            data-testid="service-search"
          />
          <Input
            allowClear
            placeholder="Team"
            aria-label="Filter by team"
            value={teamInput}
            onChange={(event) => setTeamInput(event.target.value)}
            style={{ width: 200, maxWidth: '100%' }}
            data-testid="team-filter"
          />
          <Checkbox
            checked={attention}
            onChange={(event) => list.setFilter('attention', event.target.checked ? 'true' : '')}
            data-testid="attention-filter"
            style={{ alignSelf: 'center' }}
          >
            Needs attention
          </Checkbox>
        </Flex>
        <PagedTable<Service>
          query={services}
          columns={columns}
          testId="services-table"
          rowProps={(record) => ({ 'data-testid': `service-row-${record.name}` })}
          empty={empty}
          noun={{ one: 'service', many: 'services' }}
          page={page}
          pageSize={PAGE_SIZE}
          onPage={goToPage}
          scrollX={640}
        />
      </Card>
      <ServiceFormDrawer
        open={creating}
        service={null}
        onClose={() => setCreating(false)}
        onSaved={(service) => navigate(`/catalog/services/${encodeURIComponent(service.name)}`)}
      />
    </div>
  )
}
