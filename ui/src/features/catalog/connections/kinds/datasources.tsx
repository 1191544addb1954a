import { AutoComplete, Col, Form, Input, InputNumber, Row, Tag, Typography } from 'antd'
import type { Datasource, DatasourceCreate, DatasourcePatch } from '../../../../api/types'
import { datasourceApi } from '../api'
import {
  SQL_DIALECTS,
  datasourceCreate,
  datasourcePatch,
  datasourceValues,
  type DatasourceValues,
} from '../bodies'
import { KeyValueList, NameDescriptionFields } from '../CommonFields'
import type { ConnectionKind } from '../kind'
import { SecretInput } from '../SecretInput'
import { EntryModeField, SecretTag, UrlText } from './shared'

const DEFAULT_PORTS: Record<string, number> = { postgresql: 5432, mysql: 3306, mariadb: 3306 }

function DatasourceFields({ editing }: { editing: Datasource | null }) {
  const form = Form.useFormInstance<DatasourceValues>()
  const mode = Form.useWatch('mode', form)
  const dialect = Form.useWatch('dialect', form)
  const sqlite = dialect === 'sqlite'
  return (
    <>
      <NameDescriptionFields singular="datasource" />
      <EntryModeField />
      {mode === 'url' ? (
        <>
          {editing && (
            <Typography.Paragraph type="secondary">
              Current: <Typography.Text code>{editing.url}</Typography.Text>
            </Typography.Paragraph>
          )}
          <Form.Item
            label="Connection URL"
            name="url"
            extra="dialect[+driver]://user:password@host:port/database?option=value — the password is stored encrypted."
            rules={[{ required: true, whitespace: true, message: 'Enter the connection URL' }]}
          >
            <Input placeholder="postgresql://app:secret@db.internal:5432/orders" autoComplete="off" data-testid="datasource-url" />
          </Form.Item>
        </>
      ) : (
        <>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item label="Dialect" name="dialect" rules={[{ required: true, whitespace: true, message: 'Pick or type a dialect' }]}>
                <AutoComplete
                  options={SQL_DIALECTS.map((value) => ({ value }))}
                  placeholder="postgresql"
                  filterOption={false}
                  data-testid="datasource-dialect"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item label="Driver" name="driver" extra="Leave blank for the default driver.">
                <Input placeholder="default" data-testid="datasource-driver" />
              </Form.Item>
            </Col>
          </Row>
          {!sqlite && (
            <Row gutter={12}>
              <Col xs={24} sm={16}>
                <Form.Item label="Host" name="host" rules={[{ required: true, whitespace: true, message: 'A host is required' }]}>
                  <Input placeholder="db.internal" data-testid="datasource-host" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item label="Port" name="port">
                  <InputNumber min={1} max={65535} style={{ width: '100%' }} placeholder={String(DEFAULT_PORTS[dialect ?? ''] ?? '')} data-testid="datasource-port" />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Form.Item
            label={sqlite ? 'File path' : 'Database'}
            name="database"
            rules={sqlite ? [{ required: true, whitespace: true, message: 'The SQLite file path is required' }] : []}
          >
            <Input placeholder={sqlite ? '/var/lib/app/data.db' : 'orders'} data-testid="datasource-database" />
          </Form.Item>
          {!sqlite && (
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item label="Username" name="username">
                  <Input autoComplete="off" data-testid="datasource-username" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item label="Password" name="password">
                  <SecretInput isSet={editing?.password_set} data-testid="datasource-password" />
                </Form.Item>
              </Col>
            </Row>
          )}
          <KeyValueList name="options" label="Options" addLabel="Add option (e.g. sslmode=require)" />
        </>
      )}
    </>
  )
}

export const datasourceKind: ConnectionKind<Datasource, DatasourceCreate, DatasourcePatch, DatasourceValues> = {
  id: 'datasources',
  title: 'Datasources',
  singular: 'datasource',
  description: 'SQL databases the service reads and writes.',
  makeApi: (service) => datasourceApi(service ?? ''),
  columns: [
    { title: 'Dialect', dataIndex: 'dialect', key: 'dialect', width: 120, render: (d: string) => <Tag color="geekblue">{d}</Tag> },
    { title: 'URL', dataIndex: 'url', key: 'url', ellipsis: true, render: (url: string) => <UrlText url={url} /> },
    { title: 'Password', key: 'password', width: 130, render: (_: unknown, row) => <SecretTag set={row.password_set} /> },
  ],
  Fields: DatasourceFields,
  toValues: datasourceValues,
  toCreate: datasourceCreate,
  toPatch: datasourcePatch,
  secrets: ['password'],
  nested: ['options'],
}
