import type { ReactNode } from 'react'
import { Form, Radio, Tag, Typography } from 'antd'
import type { FormRule } from 'antd'
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

/** host:port, or [IPv6]:port. */
export const HOST_PORT = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/

/** The rules of a list of host:port (a tags Select): at least one, each host:port. */
export function hostPortListRules(requiredMessage: string): FormRule[] {
  return [
    { required: true, type: 'array', min: 1, message: requiredMessage },
    {
      validator: async (_rule, value: string[] | undefined) => {
        const bad = (value ?? []).filter((server) => !HOST_PORT.test(server.trim()))
        if (bad.length) throw new Error(`Not host:port: ${bad.join(', ')}`)
      },
    },
  ]
}
