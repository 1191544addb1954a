import { Card, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import type { Token } from '../../../api/types'
import { ErrorAlert } from '../../../components/ErrorAlert'
import { useRevokeUserToken, useUserTokens } from '../../account/queries'
import { RevokeTokenButton } from '../../account/RevokeTokenButton'
import { RelativeTime } from '../../../components/Time'

/** An admin's view of a user's API tokens, to revoke one that leaked or outlived its use. */
export function UserTokensCard({ userId }: { userId: number }) {
  const tokens = useUserTokens(userId, true)
  const revoke = useRevokeUserToken(userId)
  const columns: TableColumnsType<Token> = [
    { title: 'Name', dataIndex: 'name', key: 'name', render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
    { title: 'Prefix', dataIndex: 'prefix', key: 'prefix', render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
    { title: 'Expires', dataIndex: 'expires_at', key: 'expires', render: (at: string | null) => <RelativeTime at={at} empty="—" /> },
    { title: 'Last used', dataIndex: 'last_used_at', key: 'used', render: (at: string | null) => <RelativeTime at={at} empty="Never used" /> },
    {
      title: '',
      key: 'actions',
      align: 'right',
      render: (_: unknown, token) => (
        <RevokeTokenButton token={token} revoke={revoke.mutateAsync} testId="revoke-user-token" confirmTestId="confirm-revoke-user-token" />
      ),
    },
  ]
  return (
    <Card title="API tokens" style={{ marginBottom: 16 }} data-testid="user-tokens">
      {tokens.isError ? (
        <ErrorAlert error={tokens.error} title="Cannot load the tokens" />
      ) : (
        <Table<Token>
          rowKey="id"
          size="small"
          loading={tokens.isLoading}
          columns={columns}
          dataSource={tokens.data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: 'No API tokens' }}
        />
      )}
    </Card>
  )
}
