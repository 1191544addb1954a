import { DatePicker, Input, InputNumber, Select, Switch } from 'antd'
import { MONO } from './format'
import type { ParameterField } from './parameterSchema'

/** The widget one parameter is filled in with; `Form.Item` hands it its value and onChange. */
export function ParameterInput({ field, ...control }: { field: ParameterField; id?: string }) {
  const testId = `debug-param-${field.name}`
  const options = field.choices?.map((choice) => ({ value: choice, label: String(choice) }))
  switch (field.kind) {
    case 'text':
      return <Input {...control} data-testid={testId} />
    case 'choice':
      return <Select {...control} options={options} allowClear={!field.required} data-testid={testId} />
    case 'date-time':
      return <DatePicker {...control} showTime style={{ width: '100%' }} data-testid={testId} />
    case 'date':
      return <DatePicker {...control} style={{ width: '100%' }} data-testid={testId} />
    case 'number':
    case 'integer':
      return (
        <InputNumber
          {...control}
          min={field.minimum}
          max={field.maximum}
          precision={field.kind === 'integer' ? 0 : undefined}
          style={{ width: '100%' }}
          data-testid={testId}
        />
      )
    case 'boolean':
      return <Switch {...control} data-testid={testId} />
    case 'list':
      return (
        <Select
          {...control}
          mode={options ? 'multiple' : 'tags'}
          options={options}
          tokenSeparators={[',', ' ']}
          open={options ? undefined : false}
          placeholder={options ? undefined : 'Type a value, then Enter'}
          suffixIcon={options ? undefined : null}
          data-testid={testId}
        />
      )
    case 'json':
      return (
        <Input.TextArea
          {...control}
          autoSize={{ minRows: 3, maxRows: 12 }}
          spellCheck={false}
          placeholder="JSON"
          style={{ fontFamily: MONO, fontSize: 12 }}
          data-testid={testId}
        />
      )
  }
}
