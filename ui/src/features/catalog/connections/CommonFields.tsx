import { Button, Flex, Form, Input, Space } from 'antd'
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'

export function NameDescriptionFields({ singular }: { singular: string }) {
  return (
    <>
      <Form.Item
        label="Name"
        name="name"
        rules={[
          { required: true, whitespace: true, message: `Name the ${singular}` },
          { max: 100, message: 'At most 100 characters' },
        ]}
      >
        <Input autoComplete="off" data-testid="connection-name" />
      </Form.Item>
      <Form.Item label="Description" name="description" rules={[{ max: 2000 }]}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="connection-description" />
      </Form.Item>
    </>
  )
}

/** A string map edited as key / value rows (e.g. URL query options). */
export function KeyValueList({ name, label, addLabel }: { name: string; label: string; addLabel: string }) {
  return (
    <Form.Item label={label}>
      <Form.List name={name}>
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((field) => (
              <Space.Compact key={field.key} block>
                <Form.Item name={[field.name, 'key']} noStyle rules={[{ required: true, message: 'Key required' }]}>
                  <Input placeholder="key" aria-label={`${label} ${field.name + 1} key`} style={{ width: '40%' }} />
                </Form.Item>
                <Form.Item name={[field.name, 'value']} noStyle>
                  <Input placeholder="value" aria-label={`${label} ${field.name + 1} value`} style={{ width: '60%' }} />
                </Form.Item>
                <Button aria-label={`Remove ${label} ${field.name + 1}`} icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} />
              </Space.Compact>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ key: '', value: '' })}>
              {addLabel}
            </Button>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  )
}
