import { Alert, Card, Col, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd'
import { comparesText, describeCondition, OPERATORS, VALUE_SOURCES } from './conditionText'
import { conditionOf, type MonitorFormValues } from './formValues'
import type { Operator } from './model'

/** Threshold on a value taken from the result, or "any row returned" (SQL). */
export function ConditionSection() {
  const form = Form.useFormInstance<MonitorFormValues>()
  const type = Form.useWatch('type', form) ?? 'sql'
  // preserve: the whole object, including fields whose inputs are not shown.
  const condition = Form.useWatch('condition', { form, preserve: true })
  const kind = type === 'http' ? 'threshold' : (condition?.kind ?? 'threshold')
  const source = condition?.value
  return (
    <Card title="Condition" size="small" data-testid="section-condition">
      {type === 'sql' && (
        <Form.Item label="Dirty data when" name={['condition', 'kind']}>
          <Radio.Group data-testid="condition-kind">
            <Radio value="threshold">a value crosses a threshold</Radio>
            <Radio value="any_rows">the query returns any row</Radio>
          </Radio.Group>
        </Form.Item>
      )}
      {kind === 'threshold' && (
        <>
          <Row gutter={12}>
            <Col xs={24} md={source === 'column' || source === 'json_path' ? 12 : 24}>
              <Form.Item label="Value" name={['condition', 'value']}>
                <Select options={[...VALUE_SOURCES[type]]} data-testid="condition-value" />
              </Form.Item>
            </Col>
            {source === 'column' && (
              <Col xs={24} md={12}>
                <Form.Item label="Column" name={['condition', 'column']} rules={[{ required: true, whitespace: true, message: 'Name the column' }]}>
                  <Input placeholder="unpaid_total" data-testid="condition-column" />
                </Form.Item>
              </Col>
            )}
            {source === 'json_path' && (
              <Col xs={24} md={12}>
                <Form.Item
                  label="JSON path"
                  name={['condition', 'json_path']}
                  rules={[{ required: true, whitespace: true, message: 'Give the path, e.g. $.queue.depth' }]}
                  extra="e.g. $.count, $.queues[0].depth"
                >
                  <Input placeholder="$.queue.depth" style={{ fontFamily: 'monospace' }} data-testid="condition-json-path" />
                </Form.Item>
              </Col>
            )}
          </Row>
          <Row gutter={12}>
            <Col xs={12} md={8}>
              <Form.Item label="Operator" name={['condition', 'operator']}>
                <Select options={[...OPERATORS]} data-testid="condition-operator" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item
                label="Threshold"
                name={['condition', 'threshold']}
                dependencies={[['condition', 'operator']]}
                rules={[
                  { required: true, whitespace: true, message: 'Give the threshold' },
                  ({ getFieldValue }) => ({
                    validator: (_, text: string) =>
                      !text?.trim() || comparesText(getFieldValue(['condition', 'operator']) as Operator) || Number.isFinite(Number(text))
                        ? Promise.resolve()
                        : Promise.reject(new Error('This operator compares numbers: give a number')),
                  }),
                ]}
              >
                <Input placeholder="0" data-testid="condition-threshold" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <ConsecutiveField />
            </Col>
          </Row>
        </>
      )}
      {kind === 'any_rows' && (
        <Row>
          <Col xs={24} md={8}>
            <ConsecutiveField />
          </Col>
        </Row>
      )}
      {condition && (
        <Alert
          type="info"
          data-testid="condition-summary"
          message={
            <span>
              Alerts when <Typography.Text strong>{describeCondition(conditionOf(condition, type))}</Typography.Text>
            </span>
          }
        />
      )}
    </Card>
  )
}

function ConsecutiveField() {
  return (
    <Form.Item
      label="Failing runs in a row"
      name={['condition', 'consecutive']}
      rules={[{ required: true, message: 'At least 1' }]}
      tooltip="Alert only after this many failing runs in a row, to ride out blips. Until then the state is PENDING."
    >
      <InputNumber min={1} max={100} style={{ width: '100%' }} data-testid="condition-consecutive" />
    </Form.Item>
  )
}
