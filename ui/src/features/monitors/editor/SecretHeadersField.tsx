import { Button, Flex, Form, Input, Space, Tag, Tooltip } from 'antd'
import { DeleteOutlined, LockOutlined, MinusCircleOutlined, PlusOutlined, UndoOutlined } from '@ant-design/icons'
import type { SecretHeaderRow } from './formValues'

const LIST = ['http', 'secret_headers']

/**
 * Write-only headers (Authorization, API keys). A stored one shows only its name:
 * typing a value replaces it, "Remove" deletes it on save.
 */
export function SecretHeadersField() {
  // Untyped: list paths with an index are not expressible in the typed NamePath.
  const form = Form.useFormInstance()
  // preserve: stored rows have no inputs for name, stored and remove, yet those are needed here.
  const rows = (Form.useWatch(LIST, { form, preserve: true }) ?? []) as SecretHeaderRow[]
  const setRemove = (index: number, remove: boolean) => form.setFieldValue([...LIST, index, 'remove'], remove)
  return (
    <Form.Item label="Secret headers" extra="Kept encrypted and never shown again; Preview sends only values typed here.">
      <Form.List name={LIST}>
        {(fields, { add, remove }, { errors }) => (
          <Flex vertical gap={8}>
            {fields.map((field) => {
              const row = rows[field.name]
              if (row?.stored) {
                return (
                  <Space.Compact key={field.key} block>
                    <Input value={row.name} readOnly prefix={<LockOutlined />} style={{ width: '40%' }} aria-label={`Secret header ${row.name}`} />
                    {row.remove ? (
                      <Flex align="center" gap={8} style={{ width: '60%', paddingInlineStart: 12 }}>
                        <Tag color="warning" style={{ marginInlineEnd: 0 }}>Removed on save</Tag>
                        <Button size="small" icon={<UndoOutlined />} onClick={() => setRemove(field.name, false)}>
                          Undo
                        </Button>
                      </Flex>
                    ) : (
                      <>
                        <Form.Item name={[field.name, 'value']} noStyle>
                          <Input.Password placeholder="set — leave blank to keep" autoComplete="new-password" aria-label={`New value of ${row.name}`} />
                        </Form.Item>
                        <Tooltip title="Remove this header">
                          <Button icon={<DeleteOutlined />} onClick={() => setRemove(field.name, true)} aria-label={`Remove ${row.name}`} />
                        </Tooltip>
                      </>
                    )}
                  </Space.Compact>
                )
              }
              return (
                <Space.Compact key={field.key} block>
                  <Form.Item name={[field.name, 'name']} noStyle rules={[{ required: true, message: 'Name the header' }]}>
                    <Input placeholder="Authorization" aria-label={`Secret header ${field.name + 1} name`} style={{ width: '40%' }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'value']} noStyle rules={[{ required: true, message: 'Give the value' }]}>
                    <Input.Password placeholder="value" autoComplete="new-password" aria-label={`Secret header ${field.name + 1} value`} />
                  </Form.Item>
                  <Button aria-label={`Remove secret header ${field.name + 1}`} icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} />
                </Space.Compact>
              )
            })}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ name: '', value: '', stored: false, remove: false } satisfies SecretHeaderRow)}
              data-testid="add-secret-header"
            >
              Add secret header
            </Button>
            <Form.ErrorList errors={errors} />
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  )
}
