import { Card, Form, InputNumber, Radio } from 'antd'
import { ApiOutlined, DatabaseOutlined } from '@ant-design/icons'
import { sourceFor } from './conditionText'
import type { MonitorFormValues } from './formValues'
import { HttpFields } from './HttpFields'
import { MAX_TIMEOUT_SECONDS, type MonitorType } from './model'
import { SqlFields } from './SqlFields'

interface Props {
  editing: boolean
  readOnly: boolean
}

/** What the monitor runs: an SQL query on a datasource of the service, or an HTTP request to it. */
export function CheckSection({ editing, readOnly }: Props) {
  const form = Form.useFormInstance<MonitorFormValues>()
  const type = Form.useWatch('type', form)

  // The condition's value source depends on the type: keep it valid when the type changes.
  const onTypeChange = (next: MonitorType) => {
    const condition = form.getFieldValue('condition') as MonitorFormValues['condition']
    form.setFieldValue(['condition', 'value'], sourceFor(next, condition.value))
    if (next === 'http') form.setFieldValue(['condition', 'kind'], 'threshold')
  }

  return (
    <Card title="Check" size="small" data-testid="section-check">
      <Form.Item label="Type" name="type" extra={editing ? 'The type of a saved monitor cannot change.' : undefined}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          disabled={editing}
          onChange={(event) => onTypeChange(event.target.value as MonitorType)}
          data-testid="monitor-type"
        >
          <Radio.Button value="sql">
            <DatabaseOutlined /> SQL query
          </Radio.Button>
          <Radio.Button value="http">
            <ApiOutlined /> HTTP endpoint
          </Radio.Button>
        </Radio.Group>
      </Form.Item>
      {type === 'http' ? <HttpFields /> : <SqlFields readOnly={readOnly} />}
      <Form.Item
        label="Timeout"
        name="timeout_seconds"
        rules={[{ required: true, message: 'Give a timeout' }]}
        extra="A run taking longer is stopped and counts as an error."
        style={{ marginBottom: 0 }}
      >
        <InputNumber min={1} max={MAX_TIMEOUT_SECONDS} addonAfter="seconds" style={{ width: 200 }} data-testid="monitor-timeout" />
      </Form.Item>
    </Card>
  )
}
