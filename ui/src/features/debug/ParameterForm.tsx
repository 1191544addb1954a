import { Col, Form, Row } from 'antd'
import type { FormInstance, FormRule } from 'antd'
import { ParameterInput } from './ParameterInput'
import type { FormValues, ParameterField } from './parameterSchema'

function compiles(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u')
  } catch {
    // A pattern JavaScript cannot read: the server checks it anyway.
    return null
  }
}

/** What can be checked before the run; the server checks the whole schema after. */
function rulesOf(field: ParameterField): FormRule[] {
  const rules: FormRule[] = []
  if (field.required) {
    rules.push({ required: true, message: `${field.label} is required`, ...(field.kind === 'list' ? { type: 'array' as const } : {}) })
  }
  if (field.kind === 'text') {
    if (field.minLength !== undefined) rules.push({ min: field.minLength, message: `At least ${field.minLength} characters` })
    if (field.maxLength !== undefined) rules.push({ max: field.maxLength, message: `At most ${field.maxLength} characters` })
    const pattern = field.pattern === undefined ? null : compiles(field.pattern)
    if (pattern) rules.push({ pattern, message: `Must match ${field.pattern}` })
  }
  if (field.kind === 'list' && field.maxLength !== undefined) {
    rules.push({ type: 'array', max: field.maxLength, message: `At most ${field.maxLength} values` })
  }
  if (field.kind === 'json') {
    rules.push({
      validator: async (_rule, value: unknown) => {
        if (typeof value === 'string' && value.trim() !== '') JSON.parse(value)
      },
      message: 'Not valid JSON',
    })
  }
  return rules
}

interface Props {
  form: FormInstance
  fields: readonly ParameterField[]
  initial: FormValues
  disabled: boolean
  onSubmit: () => void
}

/** The endpoint's parameters as a form: two columns on a wide screen, one on a phone. */
export function ParameterForm({ form, fields, initial, disabled, onSubmit }: Props) {
  return (
    <Form form={form} layout="vertical" initialValues={initial} disabled={disabled} onFinish={onSubmit} name="debug-parameters" data-testid="debug-parameters-form">
      <Row gutter={16}>
        {fields.map((field) => (
          <Col key={field.name} xs={24} md={field.kind === 'json' ? 24 : 12}>
            <Form.Item
              name={field.name}
              label={field.label}
              extra={field.description}
              rules={rulesOf(field)}
              required={field.required}
              valuePropName={field.kind === 'boolean' ? 'checked' : 'value'}
            >
              <ParameterInput field={field} />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </Form>
  )
}
