import { Button, Flex, Input, Space, Tag, Tooltip } from 'antd'
import { DeleteOutlined, UndoOutlined } from '@ant-design/icons'
import type { SecretValue } from './convert'

interface Props {
  id?: string
  value?: SecretValue
  onChange?: (value: SecretValue) => void
  /** Whether the saved connection has this secret (`<field>_set`). */
  isSet?: boolean
  /** Offer "Clear" (only for optional secrets of a saved connection). */
  clearable?: boolean
  placeholder?: string
  'data-testid'?: string
  'aria-label'?: string
}

/**
 * A write-only secret. Blank keeps what is stored, typing replaces it and
 * "Clear" removes it (the field's value becomes null until undone).
 */
export function SecretInput({ id, value, onChange, isSet = false, clearable = true, placeholder, ...rest }: Props) {
  if (value === null) {
    return (
      <Flex align="center" gap={8} data-testid={rest['data-testid'] ? `${rest['data-testid']}-cleared` : undefined}>
        <Tag color="warning" style={{ marginInlineEnd: 0 }}>Will be cleared on save</Tag>
        <Button size="small" icon={<UndoOutlined />} onClick={() => onChange?.(undefined)}>
          Undo
        </Button>
      </Flex>
    )
  }
  const input = (
    <Input.Password
      id={id}
      value={value ?? ''}
      onChange={(event) => onChange?.(event.target.value === '' ? undefined : event.target.value)}
      placeholder={isSet ? 'set — leave blank to keep' : placeholder}
      autoComplete="new-password"
      data-testid={rest['data-testid']}
      aria-label={rest['aria-label']}
    />
  )
  if (!isSet || !clearable) return input
  return (
    <Space.Compact block>
      {input}
      <Tooltip title="Remove the stored value">
        <Button icon={<DeleteOutlined />} onClick={() => onChange?.(null)}>
          Clear
        </Button>
      </Tooltip>
    </Space.Compact>
  )
}
