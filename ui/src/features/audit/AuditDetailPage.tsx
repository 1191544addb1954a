import { Button, Card, Col, Descriptions, Empty, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { HistoryOutlined } from '@ant-design/icons'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError } from '../../api/errors'
import type { AuditChange, AuditDetail } from '../../api/types'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { changeColor, historyPath } from './format'
import { useAuditRecord } from './queries'
import { ActionTag, Actor, JsonValue, SnapshotView } from './shared'
import { AbsoluteTime } from '../../components/Time'
import { QueryError } from '../../components/QueryError'

const changeColumns: TableColumnsType<AuditChange> = [
  {
    title: 'Path',
    dataIndex: 'path',
    key: 'path',
    width: 220,
    render: (path: string) => <Typography.Text code>{path}</Typography.Text>,
  },
  {
    title: 'Change',
    dataIndex: 'change',
    key: 'change',
    width: 110,
    render: (change: AuditChange['change']) => (
      <Tag color={changeColor(change)} style={{ marginInlineEnd: 0 }}>
        {change}
      </Tag>
    ),
  },
  { title: 'Old', key: 'old', render: (_: unknown, row) => <JsonValue value={row.change === 'added' ? undefined : row.old} /> },
  { title: 'New', key: 'new', render: (_: unknown, row) => <JsonValue value={row.change === 'removed' ? undefined : row.new} /> },
]

function Dash() {
  return <Typography.Text type="secondary">—</Typography.Text>
}

/** The object's page in the UI, for the kinds that have one. */
function objectPath(record: AuditDetail): string | null {
  if (record.object_type === 'service' && record.object_name && !record.action.endsWith('.delete')) {
    return `/catalog/services/${encodeURIComponent(record.object_name)}`
  }
  if (record.object_type === 'user' && record.object_id) return `/access/users/${encodeURIComponent(record.object_id)}`
  if (record.object_type === 'monitor' && record.object_id && record.action !== 'monitor.delete') {
    return `/monitors/${encodeURIComponent(record.object_id)}`
  }
  return null
}

export function AuditHeader({ record }: { record: AuditDetail }) {
  const path = objectPath(record)
  const name = record.object_name || <Dash />
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 1, md: 2, xl: 3 }}
      data-testid="audit-header"
      items={[
        { key: 'action', label: 'Action', children: <ActionTag action={record.action} /> },
        {
          key: 'object',
          label: 'Object',
          children: (
            <Space size={6} wrap>
              <Tag style={{ marginInlineEnd: 0 }}>{record.object_type}</Tag>
              {path ? <Link to={path}>{name}</Link> : name}
              {record.object_id && <Typography.Text type="secondary">#{record.object_id}</Typography.Text>}
            </Space>
          ),
        },
        { key: 'service', label: 'Service', children: record.service || <Dash /> },
        { key: 'actor', label: 'Actor', children: <Actor record={record} /> },
        { key: 'at', label: 'Time', children: <AbsoluteTime at={record.at} /> },
        {
          key: 'source',
          label: 'Source address',
          children: record.source_address ? <Typography.Text code>{record.source_address}</Typography.Text> : <Dash />,
        },
        {
          key: 'request',
          label: 'Request id',
          children: record.request_id ? (
            <Typography.Text code copyable data-testid="audit-request-id">
              {record.request_id}
            </Typography.Text>
          ) : (
            <Dash />
          ),
        },
      ]}
    />
  )
}

/** The before and after snapshots side by side, the changed paths highlighted. */
export function SnapshotsSideBySide({ record }: { record: AuditDetail }) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          Before
        </Typography.Title>
        <SnapshotView
          snapshot={record.before}
          changes={record.changes}
          side="before"
          testId="audit-before"
          emptyText={record.after ? 'Nothing before: the object was created.' : 'No snapshot recorded.'}
        />
      </Col>
      <Col xs={24} lg={12}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          After
        </Typography.Title>
        <SnapshotView
          snapshot={record.after}
          changes={record.changes}
          side="after"
          testId="audit-after"
          emptyText={record.before ? 'Nothing after: the object was deleted.' : 'No snapshot recorded.'}
        />
      </Col>
    </Row>
  )
}

export function AuditDetailPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const recordId = /^\d+$/.test(id) ? Number(id) : null
  const record = useAuditRecord(recordId)
  usePageTitle({ title: 'Audit log', path: '/audit' }, { title: `Record ${id}` })

  if (recordId === null || (record.isError && record.error instanceof ApiError && record.error.status === 404)) {
    return (
      <div data-testid="audit-not-found">
        <Result
          status="404"
          title="Audit record not found"
          subTitle={`There is no audit record ${id} you may read.`}
          extra={<Link to="/audit">Back to the audit log</Link>}
        />
      </div>
    )
  }
  if (record.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  }
  if (record.isError) {
    return <QueryError query={record} title="Cannot load the audit record" />
  }

  const data = record.data
  const hasState = Boolean(data.before || data.after)
  return (
    <div data-testid="audit-detail">
      <PageHeading
        title={
          <Space size={8} wrap>
            <span>{data.action}</span>
            {data.object_name && (
              <Typography.Text type="secondary" style={{ fontSize: 16, fontWeight: 'normal' }}>
                {data.object_name}
              </Typography.Text>
            )}
          </Space>
        }
        extra={
          <>
            {data.object_id && (
              <Button
                icon={<HistoryOutlined />}
                href={historyPath(data.object_type, data.object_id)}
                onClick={(event) => {
                  event.preventDefault()
                  navigate(historyPath(data.object_type, data.object_id ?? ''))
                }}
                data-testid="history-link"
              >
                History of this object
              </Button>
            )}
            <Button onClick={() => navigate('/audit')}>Audit log</Button>
          </>
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <AuditHeader record={data} />
      </Card>
      <Card title="Changes" style={{ marginBottom: 16 }} styles={{ body: { padding: data.changes.length ? 0 : undefined } }}>
        <Table<AuditChange>
          rowKey="path"
          size="small"
          data-testid="audit-changes"
          columns={changeColumns}
          dataSource={data.changes}
          pagination={false}
          scroll={{ x: 700 }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={hasState ? 'No field changed.' : 'This event changed no object.'}
              />
            ),
          }}
        />
      </Card>
      <Card title="Before and after">
        <SnapshotsSideBySide record={data} />
      </Card>
    </div>
  )
}
