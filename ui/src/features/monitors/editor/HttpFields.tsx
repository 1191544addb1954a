import { Button, Col, Flex, Form, Input, Row, Select, Space, Typography } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import type { MonitorFormValues } from './formValues'
import { HTTP_METHODS } from './model'
import { useServiceOptions } from './queries'
import { SecretHeadersField } from './SecretHeadersField'

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/

function HeadersField() {
  return (
    <Form.Item label="Headers" extra="Sent as written and shown to everyone who can read the monitor.">
      <Form.List name={['http', 'headers']}>
        {(fields, { add, remove }, { errors }) => (
          <Flex vertical gap={8}>
            {fields.map((field) => (
              <Space.Compact key={field.key} block>
                <Form.Item
                  name={[field.name, 'key']}
                  noStyle
                  rules={[{ required: true, pattern: HEADER_NAME, message: 'A header name, e.g. Accept' }]}
                >
                  <Input placeholder="Header" aria-label={`Header ${field.name + 1} name`} style={{ width: '40%' }} />
                </Form.Item>
                <Form.Item name={[field.name, 'value']} noStyle>
                  <Input placeholder="value" aria-label={`Header ${field.name + 1} value`} style={{ width: '60%' }} />
                </Form.Item>
                <Button aria-label={`Remove header ${field.name + 1}`} icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} />
              </Space.Compact>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ key: '', value: '' })} data-testid="add-header">
              Add header
            </Button>
            <Form.ErrorList errors={errors} />
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  )
}

/** Method, path under the service's base URL, headers, secret headers and body. */
export function HttpFields() {
  const form = Form.useFormInstance<MonitorFormValues>()
  const service = Form.useWatch('service', form)
  const method = Form.useWatch(['http', 'method'], form)
  const services = useServiceOptions()
  const baseUrl = services.data?.items.find((item) => item.name === service)?.base_url
  return (
    <>
      <Row gutter={12}>
        <Col flex="130px">
          <Form.Item label="Method" name={['http', 'method']}>
            <Select options={HTTP_METHODS.map((value) => ({ value, label: value }))} data-testid="http-method" />
          </Form.Item>
        </Col>
        <Col flex="auto">
          <Form.Item
            label="Path"
            name={['http', 'path']}
            rules={[{ required: true, pattern: /^\//, message: 'A path starting with /, e.g. /internal/stats' }]}
            extra={
              service && !baseUrl ? (
                <Typography.Text type="warning">This service has no base URL: set one in the service catalog.</Typography.Text>
              ) : (
                'Requested under the service’s base URL, with the query string if any.'
              )
            }
          >
            <Input addonBefore={baseUrl || 'base URL'} placeholder="/internal/stats?window=1h" data-testid="http-path" />
          </Form.Item>
        </Col>
      </Row>
      <HeadersField />
      <SecretHeadersField />
      {(method === 'POST' || method === 'PUT') && (
        <Form.Item label="Body" name={['http', 'body']}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} style={{ fontFamily: 'monospace' }} placeholder='{"window": "1h"}' data-testid="http-body" />
        </Form.Item>
      )}
    </>
  )
}
