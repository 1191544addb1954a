import { useState } from 'react'
import { Badge, Button, Card, Empty, Flex, Input, Space, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { PlusOutlined, SearchOutlined } from '@ant-design/icons'
import { Link, useNavigate } from 'react-router'
import type { AccessUser } from '../../../api/types'
import { PagedTable } from '../../../components/PagedTable'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { useListParams, useTypedFilter } from '../../../components/useListParams'
import { useMe } from '../../auth/queries'
import { useUsers } from '../queries'
import { useCanWriteAccess, WriteAction } from '../WriteGuard'
import { NewUserModal } from './NewUserModal'
import { Dash, RoleTag } from '../shared'
import { RelativeTime } from '../../../components/Time'
import { noWrapCell } from '../../../components/noWrapCell'

const PAGE_SIZE = 20

// Columns size to their content (no fixed widths, no ellipsis): who the user is comes first,
// in one cell, so "Last login" fits beside it without a sideways scroll.
const columns: TableColumnsType<AccessUser> = [
  {
    title: 'User',
    dataIndex: 'username',
    key: 'username',
    render: (username: string, user) => (
      <div style={{ minWidth: 160 }}>
        <Link to={`/access/users/${user.id}`} data-testid={`user-link-${username}`}>
          <Typography.Text strong style={{ color: 'inherit' }}>{username}</Typography.Text>
        </Link>
        {(user.display_name || user.email) && (
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, overflowWrap: 'anywhere' }}>
            {[user.display_name, user.email].filter(Boolean).join(' · ')}
          </Typography.Text>
        )}
      </div>
    ),
  },
  {
    title: 'Source',
    dataIndex: 'source',
    key: 'source',
    onCell: noWrapCell,
    render: (source: string) => <Tag color={source === 'ldap' ? 'geekblue' : 'default'}>{source === 'ldap' ? 'LDAP' : 'Local'}</Tag>,
  },
  {
    title: 'Teams',
    dataIndex: 'teams',
    key: 'teams',
    render: (teams: string[]) =>
      teams.length ? (
        <Space size={[4, 4]} wrap>
          {teams.map((team) => (
            <Tag key={team} style={{ marginInlineEnd: 0 }}>{team}</Tag>
          ))}
        </Space>
      ) : (
        <Dash />
      ),
  },
  {
    title: 'Roles',
    dataIndex: 'roles',
    key: 'roles',
    render: (roles: AccessUser['roles']) =>
      roles.length ? (
        <Space size={[4, 4]} wrap>
          {roles.map((role) => (
            <RoleTag key={`${role.id}-${role.source}-${role.via ?? ''}`} role={role} />
          ))}
        </Space>
      ) : (
        <Dash />
      ),
  },
  {
    title: 'Status',
    key: 'status',
    onCell: noWrapCell,
    render: (_: unknown, user) => (
      <Space size={4} wrap>
        {user.is_active ? <Badge status="success" text="Active" /> : <Badge status="default" text="Disabled" />}
        {user.is_admin && <Tag color="gold" style={{ marginInlineEnd: 0 }}>admin</Tag>}
      </Space>
    ),
  },
  {
    title: 'Last login',
    dataIndex: 'last_login_at',
    key: 'last_login_at',
    onCell: noWrapCell,
    render: (at: string | null) => <RelativeTime at={at} empty="Never" />,
  },
]

export function UsersPage() {
  usePageTitle({ title: 'Users & access', path: '/access' }, { title: 'Users' })
  const list = useListParams(['q'] as const)
  const [qInput, setQInput] = useTypedFilter(list, 'q')
  const { page, goToPage } = list
  const q = list.filters.q
  const users = useUsers({ q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
  const [creating, setCreating] = useState(false)
  const navigate = useNavigate()
  const canWrite = useCanWriteAccess()
  const me = useMe()
  const newButton = (
    <WriteAction allowed={canWrite}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-user">
        New user
      </Button>
    </WriteAction>
  )

  const empty = q ? (
    <Empty description="No user matches this search." data-testid="users-empty-filtered">
      <Button onClick={() => setQInput('')}>Clear search</Button>
    </Empty>
  ) : (
    <Empty
      description="No users yet. Add a local account with New user; directory (LDAP) users appear here when they first log in."
      data-testid="users-empty"
    />
  )

  return (
    <div data-testid="users-page">
      <PageHeading
        title="Users"
        subtitle="Local accounts and everyone who has logged in through the directory, with their teams and roles."
        extra={newButton}
      />
      <Card styles={{ body: { padding: 16 } }}>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input
            allowClear
            prefix={<SearchOutlined aria-hidden />}
            placeholder="Search username, display name or email"
            aria-label="Search users"
            value={qInput}
            onChange={(event) => setQInput(event.target.value)}
            style={{ width: 340, maxWidth: '100%' }}
            data-testid="user-search"
          />
        </Flex>
        <PagedTable<AccessUser>
          query={users}
          columns={columns}
          testId="users-table"
          rowProps={(record) => ({ 'data-testid': `user-row-${record.username}` })}
          empty={empty}
          noun={{ one: 'user', many: 'users' }}
          page={page}
          pageSize={PAGE_SIZE}
          onPage={goToPage}
          scrollX={820}
        />
      </Card>
      <NewUserModal
        open={creating}
        canMakeAdmins={Boolean(me.data?.is_admin)}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false)
          navigate(`/access/users/${id}`)
        }}
      />
    </div>
  )
}
