import { useState } from 'react'
import { Alert, Button, Card, Empty, Form, Input, Modal, Select, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { KeyOutlined, PlusOutlined } from '@ant-design/icons'
import type { Token, TokenCreated } from '../../api/types'
import { applyProblemToForm } from '../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../components/FormProblem'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { useCreateToken, useRevokeToken, useTokens } from './queries'
import { QueryError } from '../../components/QueryError'
import { RevokeTokenButton } from './RevokeTokenButton'
import { RelativeTime } from '../../components/Time'

const PAGE_SIZE = 20
// Every token expires; the server refuses more than GYRFALCON_TOKEN_MAX_LIFETIME_DAYS.
const EXPIRY_OPTIONS = [
  { value: 7, label: '7 days' },
  { value: 30, label: '30 days' },
  { value: 90, label: '90 days' },
  { value: 365, label: '1 year' },
]

interface TokenValues {
  name: string
  expires_in_days: number
}

function CreateTokenModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (t: TokenCreated) => void }) {
  const [form] = Form.useForm<TokenValues>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const create = useCreateToken()
  const onFinish = (values: TokenValues) => {
    setProblem(null)
    create.mutate(
      { name: values.name.trim(), expires_in_days: values.expires_in_days },
      {
        onSuccess: (token) => {
          form.resetFields()
          onCreated(token)
        },
        onError: (error) => setProblem(applyProblemToForm(form, error)),
      },
    )
  }
  return (
    <Modal
      open={open}
      title="New API token"
      okText="Create token"
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'token-create-submit' }}
      data-testid="token-create-modal"
    >
      <FormProblem state={problem} title="The token was not created" />
      <Form<TokenValues> form={form} layout="vertical" initialValues={{ name: '', expires_in_days: 90 }} onFinish={onFinish}>
        <Form.Item label="Name" name="name" extra="What the token is for, e.g. “CI deploys”." rules={[{ required: true, whitespace: true, message: 'Name the token' }, { max: 100 }]}>
          <Input autoFocus autoComplete="off" data-testid="token-name" />
        </Form.Item>
        <Form.Item label="Expires" name="expires_in_days">
          <Select options={EXPIRY_OPTIONS} data-testid="token-expiry" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

function NewTokenModal({ token, onClose }: { token: TokenCreated | null; onClose: () => void }) {
  return (
    <Modal
      open={token !== null}
      title="Your new API token"
      onCancel={onClose}
      maskClosable={false}
      footer={
        <Button type="primary" onClick={onClose} data-testid="token-created-done">
          I have copied it
        </Button>
      }
      data-testid="token-created-modal"
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        message="Copy the token now"
        description="This is the only time it is shown. Store it somewhere safe; if you lose it, revoke it and create a new one."
      />
      <Typography.Paragraph>
        Send it as <Typography.Text code>Authorization: Bearer &lt;token&gt;</Typography.Text>.
      </Typography.Paragraph>
      {token && (
        <Typography.Paragraph
          copyable={{ text: token.token, tooltips: ['Copy token', 'Copied'] }}
          code
          style={{ wordBreak: 'break-all', fontSize: 13 }}
          data-testid="token-value"
        >
          {token.token}
        </Typography.Paragraph>
      )}
    </Modal>
  )
}

export function TokensPage() {
  usePageTitle({ title: 'Account' }, { title: 'API tokens' })
  const [page, setPage] = useState(1)
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<TokenCreated | null>(null)
  const tokens = useTokens(page, PAGE_SIZE)
  const revoke = useRevokeToken()

  const columns: TableColumnsType<Token> = [
    {
      title: 'Name',
      dataIndex: 'name',
      key: 'name',
      render: (name: string) => (
        <Typography.Text strong>
          <KeyOutlined style={{ marginInlineEnd: 8, color: '#8c8c8c' }} />
          {name}
        </Typography.Text>
      ),
    },
    { title: 'Prefix', dataIndex: 'prefix', key: 'prefix', width: 160, render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
    { title: 'Created', dataIndex: 'created_at', key: 'created', width: 150, render: (at: string) => <RelativeTime at={at} empty="—" /> },
    { title: 'Expires', dataIndex: 'expires_at', key: 'expires', width: 150, render: (at: string | null) => <RelativeTime at={at} empty="Never" /> },
    { title: 'Last used', dataIndex: 'last_used_at', key: 'used', width: 150, render: (at: string | null) => <RelativeTime at={at} empty="Never used" /> },
    {
      title: '',
      key: 'actions',
      width: 110,
      align: 'right',
      render: (_: unknown, token) => (
        <RevokeTokenButton token={token} revoke={revoke.mutateAsync} testId="revoke-token" confirmTestId="confirm-revoke" />
      ),
    },
  ]

  const newButton = (
    <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-token">
      New token
    </Button>
  )

  return (
    <div data-testid="tokens-page">
      <PageHeading title="API tokens" subtitle="Personal tokens let scripts and CI call the Gyrfalcon API as you." extra={newButton} />
      <Card>
        {tokens.isError ? (
          <QueryError query={tokens} title="Cannot load your tokens" />
        ) : (
          <Table<Token>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={tokens.data?.items ?? []}
            loading={tokens.isFetching}
            scroll={{ x: 800 }}
            data-testid="tokens-table"
            locale={{
              emptyText: tokens.isPending ? (
                ' '
              ) : (
                <Empty description="You have no API tokens." data-testid="tokens-empty">
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                    Create a token
                  </Button>
                </Empty>
              ),
            }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: tokens.data?.total ?? 0,
              hideOnSinglePage: true,
              showSizeChanger: false,
              onChange: setPage,
            }}
          />
        )}
      </Card>
      <CreateTokenModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(token) => {
          setCreating(false)
          setCreated(token)
        }}
      />
      <NewTokenModal token={created} onClose={() => setCreated(null)} />
    </div>
  )
}
