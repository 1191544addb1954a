import type { ReactNode } from 'react'
import { Form, Radio, Tag, Typography } from 'antd'
import { LockOutlined } from '@ant-design/icons'

export function Muted({ children }: { children: ReactNode }) {
  return <Typography.Text type="secondary">{children}</Typography.Text>
}

export function UrlText({ url }: { url: string | null | undefined }) {
  if (!url) return <Muted>—</Muted>
  return (
    <Typography.Text code ellipsis={{ tooltip: url }} style={{ maxWidth: '100%' }}>
      {url}
    </Typography.Text>
  )
}

export function SecretTag({ set, label = 'password' }: { set: boolean; label?: string }) {
  return set ? (
    <Tag icon={<LockOutlined />} color="green" style={{ marginInlineEnd: 0 }}>
      {label} set
    </Tag>
  ) : (
    <Tag style={{ marginInlineEnd: 0 }}>no {label}</Tag>
  )
}

/** "Define by: Fields | URL" for kinds that accept a connection URL instead of fields. */
export function EntryModeField() {
  return (
    <Form.Item label="Define by" name="mode" extra="Enter the connection as separate fields, or paste one URL.">
      <Radio.Group optionType="button" buttonStyle="solid" data-testid="entry-mode">
        <Radio.Button value="fields">Fields</Radio.Button>
        <Radio.Button value="url">URL</Radio.Button>
      </Radio.Group>
    </Form.Item>
  )
}
