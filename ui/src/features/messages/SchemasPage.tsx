import { useState } from 'react'
import { App, Button, Card, Empty, Flex, Grid, Table, Tag, Typography } from 'antd'
import type { Breakpoint, TableColumnsType } from 'antd'
import { DeleteOutlined, FileTextOutlined, UploadOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import { problemOf } from '../../api/errors'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { QueryError } from '../../components/QueryError'
import { RelativeTime } from '../../components/Time'
import { WriteAction } from '../../components/WriteAction'
import { noWrapCell } from '../../components/noWrapCell'
import { NEEDS_MESSAGES_WRITE, NEEDS_MESSAGES_WRITE_ANY, NOT_NARROW, subscriptionPath } from './format'
import { useDeleteSchema, useSchemas, useSubscriptions } from './queries'
import { SchemaFilesDrawer } from './SchemaFilesDrawer'
import type { Schema, Subscription } from './types'
import { UploadSchemaModal } from './UploadSchemaModal'
import { useMessagesAccess } from './useMessagesAccess'

const SHOWN_TYPES = 6
const NOT_PHONE: Breakpoint[] = ['sm']

function MessageTypes({ types }: { types: string[] }) {
  const [all, setAll] = useState(false)
  const shown = all ? types : types.slice(0, SHOWN_TYPES)
  return (
    <Flex gap={4} wrap style={{ maxWidth: 520 }}>
      {shown.map((type) => (
        <Tag key={type} style={{ marginInlineEnd: 0 }}>
          {type}
        </Tag>
      ))}
      {types.length > SHOWN_TYPES && (
        <Button type="link" size="small" style={{ padding: 0, height: 22 }} onClick={() => setAll(!all)}>
          {all ? 'fewer' : `+${types.length - SHOWN_TYPES} more`}
        </Button>
      )}
    </Flex>
  )
}

function UsedBy({ names, subscriptions }: { names: string[]; subscriptions: Subscription[] }) {
  if (names.length === 0) return <Typography.Text type="secondary">no subscription</Typography.Text>
  return (
    <Flex vertical gap={2}>
      {names.map((name) => {
        const found = subscriptions.find((item) => `${item.service}/${item.name}` === name)
        return found ? (
          <Link key={name} to={subscriptionPath(found.id)} style={{ whiteSpace: 'nowrap' }}>
            {name}
          </Link>
        ) : (
          <span key={name} style={{ whiteSpace: 'nowrap' }}>{name}</span>
        )
      })}
    </Flex>
  )
}

/** The uploaded .proto schemas: their versions, the message types they hold and who decodes with them. */
export function SchemasPage() {
  usePageTitle({ title: 'Messages', path: '/messages' }, { title: 'Schemas' })
  const access = useMessagesAccess()
  const schemas = useSchemas()
  const subscriptions = useSubscriptions()
  const remove = useDeleteSchema()
  const { message, modal } = App.useApp()
  const [uploading, setUploading] = useState<{ open: boolean; schema: Schema | null }>({ open: false, schema: null })
  const [viewing, setViewing] = useState<Schema | null>(null)
  const phone = Grid.useBreakpoint().sm === false

  const confirmDelete = (schema: Schema) =>
    modal.confirm({
      title: `Delete the schema ${schema.service}/${schema.name}?`,
      content: `Its ${schema.versions} version${schema.versions === 1 ? '' : 's'} go with it. Messages stored with it can no longer be decoded.`,
      okText: 'Delete',
      okButtonProps: { danger: true, ...{ 'data-testid': 'schema-delete-confirm' } },
      onOk: () =>
        remove.mutateAsync(schema.id).then(
          () => message.success(`${schema.service}/${schema.name} deleted`),
          (error: unknown) => message.error(problemOf(error).detail ?? 'Not deleted'),
        ),
    })

  const columns: TableColumnsType<Schema> = [
    { title: 'Service', dataIndex: 'service', key: 'service', onCell: noWrapCell, responsive: NOT_PHONE },
    {
      title: 'Name',
      key: 'name',
      render: (_: unknown, schema) => (
        <Flex vertical>
          <Typography.Link strong onClick={() => setViewing(schema)} data-testid={`schema-link-${schema.id}`} style={{ overflowWrap: 'anywhere' }}>
            {phone ? `${schema.service}/${schema.name}` : schema.name}
          </Typography.Link>
          {schema.description && (
            <Typography.Text type="secondary" style={{ fontSize: 12, overflowWrap: 'anywhere' }}>
              {schema.description}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: 'Latest version',
      key: 'version',
      onCell: noWrapCell,
      render: (_: unknown, schema) => (
        <Flex vertical>
          <span data-testid={`schema-version-${schema.id}`}>v{schema.latest_version}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <RelativeTime at={schema.updated_at} />
          </Typography.Text>
        </Flex>
      ),
    },
    { title: 'Message types', key: 'types', responsive: NOT_NARROW, render: (_: unknown, schema) => <MessageTypes types={schema.message_types} /> },
    { title: 'Used by', key: 'used', responsive: NOT_NARROW, render: (_: unknown, schema) => <UsedBy names={schema.used_by} subscriptions={subscriptions.data ?? []} /> },
    {
      title: '',
      key: 'actions',
      onCell: noWrapCell,
      render: (_: unknown, schema) => {
        const canWrite = access.canWrite(schema.service)
        return (
          <Flex gap={4}>
            <Button size="small" icon={<FileTextOutlined />} onClick={() => setViewing(schema)} title="Files" aria-label={`Files of ${schema.name}`} />
            <WriteAction allowed={canWrite} reason={NEEDS_MESSAGES_WRITE}>
              <Button
                size="small"
                icon={<UploadOutlined />}
                onClick={() => setUploading({ open: true, schema })}
                title="Upload a new version"
                aria-label={`Upload a new version of ${schema.name}`}
                data-testid={`schema-new-version-${schema.id}`}
              >
                {phone ? null : 'New version'}
              </Button>
            </WriteAction>
            <WriteAction
              allowed={canWrite && schema.used_by.length === 0}
              reason={canWrite ? `Used by ${schema.used_by.join(', ')}: change or delete those subscriptions first` : NEEDS_MESSAGES_WRITE}
            >
              <Button size="small" danger icon={<DeleteOutlined />} onClick={() => confirmDelete(schema)} title="Delete" aria-label={`Delete ${schema.name}`} data-testid={`schema-delete-${schema.id}`} />
            </WriteAction>
          </Flex>
        )
      },
    },
  ]

  return (
    <div data-testid="schemas-page">
      <PageHeading
        title="Schemas"
        subtitle="Protobuf .proto files that decode the subscriptions' messages. Uploading the same service and name again adds a version; consumers take it within seconds."
        extra={
          <WriteAction allowed={access.canWriteAny} reason={NEEDS_MESSAGES_WRITE_ANY}>
            <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading({ open: true, schema: null })} data-testid="upload-schema">
              Upload schema
            </Button>
          </WriteAction>
        }
      />
      <Card styles={{ body: { padding: 16 } }}>
        {schemas.isError ? (
          <QueryError query={schemas} title="Cannot load the schemas" />
        ) : (
          <Table<Schema>
            rowKey="id"
            size="middle"
            data-testid="schemas-table"
            columns={columns}
            dataSource={schemas.data ?? []}
            loading={schemas.isPending}
            pagination={false}
            scroll={{ x: 'max-content' }}
            onRow={(schema) => ({ 'data-testid': `schema-row-${schema.id}` }) as object}
            locale={{
              emptyText: schemas.isPending ? (
                ' '
              ) : (
                <Empty data-testid="schemas-empty" description="No schema yet. Upload the .proto files that describe a service's messages to decode its protobuf topics.">
                  <WriteAction allowed={access.canWriteAny} reason={NEEDS_MESSAGES_WRITE_ANY}>
                    <Button type="primary" icon={<UploadOutlined />} onClick={() => setUploading({ open: true, schema: null })}>
                      Upload the first schema
                    </Button>
                  </WriteAction>
                </Empty>
              ),
            }}
          />
        )}
      </Card>
      <UploadSchemaModal open={uploading.open} schema={uploading.schema} services={access.writableServices} onClose={() => setUploading({ open: false, schema: null })} />
      <SchemaFilesDrawer schema={viewing} onClose={() => setViewing(null)} />
    </div>
  )
}
