import { useEffect, useState } from 'react'
import { Badge, Button, Card, Empty, Flex, Input, Space, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { SearchOutlined } from '@ant-design/icons'
import { Link, useSearchParams } from 'react-router'
import type { AccessUser } from '../../../api/types'
import { PagedTable } from '../../../components/PagedTable'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { useDebounced } from '../../../components/useDebounced'
import { useUsers } from '../queries'
import { Dash, RoleTag, When } from '../shared'

const PAGE_SIZE = 20

const columns: TableColumnsType<AccessUser> = [
  {
    title: 'Username',
    dataIndex: 'username',
    key: 'username',
    fixed: 'left',
    width: 160,
    render: (username: string, user) => (
      <Link to={`/access/users/${user.id}`} data-testid={`user-link-${username}`}>
        <Typography.Text strong style={{ color: 'inherit' }}>{username}</Typography.Text>
      </Link>
    ),
  },
  { title: 'Display name', dataIndex: 'display_name', key: 'display_name', width: 170, ellipsis: true },
  {
    title: 'Email',
    dataIndex: 'email',
    key: 'email',
    width: 200,
    ellipsis: true,
    render: (email: string | null) => email || <Dash />,
  },
  {
    title: 'Source',
    dataIndex: 'source',
    key: 'source',
    width: 90,
    render: (source: string) => <Tag color={source === 'ldap' ? 'geekblue' : 'default'}>{source === 'ldap' ? 'LDAP' : 'Local'}</Tag>,
  },
  {
    title: 'Teams',
    dataIndex: 'teams',
    key: 'teams',
    width: 160,
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
    width: 220,
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
    width: 150,
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
    width: 130,
    render: (at: string | null) => <When at={at} empty="Never" />,
  },
]

export function UsersPage() {
  usePageTitle({ title: 'Users & access', path: '/access' }, { title: 'Users' })
  const [params, setParams] = useSearchParams()
  const [qInput, setQInput] = useState(params.get('q') ?? '')
  const q = useDebounced(qInput.trim(), 300)
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1)
  const users = useUsers({ q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })

  // Keep the address in step with the debounced search; a new search goes back to page 1.
  useEffect(() => {
    setParams(
      (previous) => {
        if ((previous.get('q') ?? '') === q) return previous
        const next = new URLSearchParams(previous)
        if (q) next.set('q', q)
        else next.delete('q')
        next.delete('page')
        return next
      },
      { replace: true },
    )
  }, [q, setParams])

  const goToPage = (next: number) => {
    setParams(
      (previous) => {
        const search = new URLSearchParams(previous)
        if (next > 1) search.set('page', String(next))
        else search.delete('page')
        return search
      },
      { replace: true },
    )
  }

  const empty = q ? (
    <Empty description="No user matches this search." data-testid="users-empty-filtered">
      <Button onClick={() => setQInput('')}>Clear search</Button>
    </Empty>
  ) : (
    <Empty description="No users yet. Users appear here once they log in for the first time." data-testid="users-empty" />
  )

  return (
    <div data-testid="users-page">
      <PageHeading
        title="Users"
        subtitle="Everyone who has logged in, locally or through the directory, with their teams and roles."
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
          scrollX={1200}
        />
      </Card>
    </div>
  )
}
