import { useState } from 'react'
import { Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd'
import { DeleteOutlined, EditOutlined, HistoryOutlined, LinkOutlined } from '@ant-design/icons'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { ApiError } from '../../../api/errors'
import type { Service } from '../../../api/types'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { WriteAction } from '../../../components/WriteAction'
import { NEEDS_CATALOG_WRITE } from '../../auth/permissions'
import { usePermissions } from '../../auth/queries'
import { historyPath } from '../../audit/format'
import { ConnectionsPanel } from '../connections/ConnectionsPanel'
import { datasourceKind } from '../connections/kinds/datasources'
import { debugEndpointKind } from '../connections/kinds/debugEndpoints'
import { jobBackendKind, redisKind } from '../connections/kinds/redis'
import { useService } from './queries'
import { DeleteServiceModal } from './DeleteServiceModal'
import { ServiceFormDrawer } from './ServiceFormDrawer'
import { ServiceHealth } from './ServiceHealth'
import { SERVICE_PANELS } from '../../../app/servicePanels'
import { SERVICE_TABS } from '../../../app/serviceTabs'
import { QueryError } from '../../../components/QueryError'

const CONNECTION_TABS = ['datasources', 'redis', 'job-backends', 'debug-endpoints']

function ServiceInfo({ service }: { service: Service }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 1, md: 2, xl: 3 }}
      data-testid="service-info"
      items={[
        { key: 'health', label: 'Health', children: <ServiceHealth service={service} /> },
        { key: 'team', label: 'Team', children: service.team || <Typography.Text type="secondary">—</Typography.Text> },
        {
          key: 'base_url',
          label: 'Base URL',
          children: service.base_url ? (
            <Typography.Link href={service.base_url} target="_blank" rel="noreferrer">
              {service.base_url}
            </Typography.Link>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          ),
        },
        {
          key: 'tags',
          label: 'Tags',
          children: service.tags.length ? (
            <Space size={[4, 4]} wrap>
              {service.tags.map((tag) => (
                <Tag key={tag} style={{ marginInlineEnd: 0 }}>{tag}</Tag>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          ),
        },
        ...(service.links.length
          ? [
              {
                key: 'links',
                label: 'Links',
                span: 'filled' as const,
                children: (
                  <Space size={[12, 4]} wrap>
                    {service.links.map((link) => (
                      <Typography.Link key={`${link.title}-${link.url}`} href={link.url} target="_blank" rel="noreferrer">
                        <LinkOutlined /> {link.title}
                      </Typography.Link>
                    ))}
                  </Space>
                ),
              },
            ]
          : []),
        {
          key: 'description',
          label: 'Description',
          span: 'filled' as const,
          children: service.description || <Typography.Text type="secondary">No description.</Typography.Text>,
        },
      ]}
    />
  )
}

export function ServiceDetailPage() {
  const { name = '' } = useParams()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const [editing, setEditing] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const service = useService(name)
  const permissions = usePermissions()
  const tabParam = params.get('tab') ?? ''
  usePageTitle({ title: 'Service catalog', path: '/catalog' }, { title: 'Services', path: '/catalog' }, { title: name })

  if (service.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    )
  }
  if (service.isError) {
    if (service.error instanceof ApiError && service.error.status === 404) {
      return (
        <div data-testid="service-not-found">
          <Result
            status="404"
            title="Service not found"
            subTitle={`There is no service named “${name}”.`}
            extra={<Link to="/catalog">Back to the services</Link>}
          />
        </div>
      )
    }
    return (
      <QueryError query={service} title="Cannot load the service" />
    )
  }

  const data = service.data
  const counts = data.connections
  const canWrite = permissions.can('catalog', 'write', data)
  const canSeeHistory = permissions.can('audit', 'read', data)
  const panel = { service: data.name, canWrite, deniedReason: NEEDS_CATALOG_WRITE, canSeeHistory }
  const contributedTabs = SERVICE_TABS.filter((contributed) => contributed.visible(data, permissions))
  const tab = [...CONNECTION_TABS, ...contributedTabs.map((contributed) => contributed.key)].includes(tabParam) ? tabParam : 'datasources'
  const tabLabel = (title: string, count: number, key: string) => (
    <span data-testid={`tab-${key}`}>
      {title} <Tag style={{ marginInlineStart: 4, marginInlineEnd: 0 }}>{count}</Tag>
    </span>
  )

  return (
    <div data-testid="service-detail">
      <PageHeading
        title={
          <Space size={8} wrap>
            <span data-testid="service-title">{data.display_name || data.name}</span>
            {data.display_name && data.display_name !== data.name && (
              <Typography.Text type="secondary" code style={{ fontSize: 14, fontWeight: 'normal' }}>
                {data.name}
              </Typography.Text>
            )}
          </Space>
        }
        extra={
          <>
            {canSeeHistory && (
              <Button
                icon={<HistoryOutlined />}
                href={historyPath('service', String(data.id))}
                onClick={(event) => {
                  event.preventDefault()
                  navigate(historyPath('service', String(data.id)))
                }}
                data-testid="service-history"
              >
                History
              </Button>
            )}
            <WriteAction allowed={canWrite} reason={NEEDS_CATALOG_WRITE}>
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="edit-service">
                Edit
              </Button>
            </WriteAction>
            <WriteAction allowed={canWrite} reason={NEEDS_CATALOG_WRITE}>
              <Button danger icon={<DeleteOutlined />} onClick={() => setDeleting(true)} data-testid="delete-service">
                Delete
              </Button>
            </WriteAction>
          </>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <ServiceInfo service={data} />
      </Card>
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          data-testid="service-tabs"
          items={[
            {
              key: 'datasources',
              label: tabLabel('Datasources', counts.datasources, 'datasources'),
              children: <ConnectionsPanel kind={datasourceKind} {...panel} />,
            },
            {
              key: 'redis',
              label: tabLabel('Redis', counts.redis, 'redis'),
              children: <ConnectionsPanel kind={redisKind} {...panel} />,
            },
            {
              key: 'job-backends',
              label: tabLabel('Job backends', counts.job_backends, 'job-backends'),
              children: <ConnectionsPanel kind={jobBackendKind} {...panel} />,
            },
            {
              key: 'debug-endpoints',
              label: tabLabel('Debug endpoints', counts.debug_endpoints, 'debug-endpoints'),
              children: <ConnectionsPanel kind={debugEndpointKind} {...panel} />,
            },
            ...contributedTabs.map(({ key, label, Tab }) => ({ key, label: label(data), children: <Tab service={data} /> })),
          ]}
        />
      </Card>
      {SERVICE_PANELS.map(({ key, Panel }) => (
        <Panel key={key} service={data} />
      ))}
      <DeleteServiceModal name={data.name} open={deleting && canWrite} onClose={() => setDeleting(false)} />
      <ServiceFormDrawer open={editing && canWrite} service={data} onClose={() => setEditing(false)} />
    </div>
  )
}
