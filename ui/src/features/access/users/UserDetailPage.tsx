import { useState, type ReactNode } from 'react'
import { Alert, App, Button, Card, Descriptions, Flex, List, Popconfirm, Result, Select, Skeleton, Space, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { CrownOutlined, StopOutlined, CheckCircleOutlined, HistoryOutlined } from '@ant-design/icons'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../../api/errors'
import type { AccessUserDetail, AccessUserUpdate, EffectivePermission, Permission } from '../../../api/types'
import { ErrorAlert } from '../../../components/ErrorAlert'
import { historyPath } from '../../audit/format'
import { useMe, usePermissions as useMyPermissions } from '../../auth/queries'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { actionLabel } from '../roles/grantMatrix'
import { inheritedRoles, manualRoleIds, permissionReach, roleSourceLabel, sameIds, sortPermissions } from '../labels'
import { usePermissions, useRoles, useUpdateUser, useUser } from '../queries'
import { Dash, RoleTag } from '../shared'
import { useCanWriteAccess, WriteAction } from '../WriteGuard'
import { PasswordLinkButton } from './PasswordLinkButton'
import { ResetPasswordButton } from './ResetPasswordButton'
import { UserTokensCard } from './UserTokensCard'
import { QueryError } from '../../../components/QueryError'
import { RelativeTime } from '../../../components/Time'

function UserInfo({ user }: { user: AccessUserDetail }) {
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 1, md: 2, xl: 3 }}
      data-testid="user-info"
      items={[
        { key: 'username', label: 'Username', children: <Typography.Text code>{user.username}</Typography.Text> },
        { key: 'display_name', label: 'Display name', children: user.display_name || <Dash /> },
        { key: 'email', label: 'Email', children: user.email || <Dash /> },
        { key: 'source', label: 'Source', children: user.source === 'ldap' ? 'LDAP directory' : 'Local account' },
        { key: 'created', label: 'Created', children: <RelativeTime at={user.created_at} empty="—" /> },
        { key: 'last_login', label: 'Last login', children: <RelativeTime at={user.last_login_at} empty="Never" /> },
        {
          key: 'teams',
          label: 'Teams',
          span: 'filled' as const,
          children: user.teams.length ? (
            <Space size={[4, 4]} wrap>
              {user.teams.map((team) => (
                <Tag key={team} style={{ marginInlineEnd: 0 }}>{team}</Tag>
              ))}
            </Space>
          ) : (
            <Dash />
          ),
        },
      ]}
    />
  )
}

function RolesCard({ user, canWrite }: { user: AccessUserDetail; canWrite: boolean }) {
  const { message } = App.useApp()
  const roles = useRoles()
  const update = useUpdateUser(user.id)
  const saved = manualRoleIds(user.roles)
  const [selected, setSelected] = useState<number[]>(saved)
  const inherited = inheritedRoles(user.roles)
  const changed = !sameIds(selected, saved)

  const save = () =>
    update.mutate(
      { roles: selected },
      { onSuccess: () => message.success(`Roles of ${user.username} saved`) },
    )

  return (
    <Card title="Roles" style={{ marginBottom: 16 }} data-testid="user-roles">
      {roles.isError && <ErrorAlert error={roles.error} title="Cannot load the roles" style={{ marginBottom: 12 }} />}
      {update.isError && <ErrorAlert error={update.error} title="The roles were not saved" testId="user-roles-error" style={{ marginBottom: 12 }} />}
      <Typography.Text strong id="user-roles-label">
        Given by hand
      </Typography.Text>
      <Flex gap={8} wrap style={{ marginTop: 8, marginBottom: 20 }}>
        <Select<number[]>
          mode="multiple"
          aria-labelledby="user-roles-label"
          aria-label="Roles given by hand"
          placeholder="No roles given by hand"
          style={{ minWidth: 320, flex: '1 1 320px', maxWidth: 640 }}
          loading={roles.isPending}
          disabled={!canWrite}
          value={selected}
          onChange={setSelected}
          optionFilterProp="label"
          options={(roles.data?.items ?? []).map((role) => ({ value: role.id, label: role.name, title: role.name }))}
          data-testid="user-roles-select"
        />
        <WriteAction allowed={canWrite}>
          <Button type="primary" onClick={save} loading={update.isPending} disabled={!changed} data-testid="user-roles-save">
            Save
          </Button>
        </WriteAction>
        {changed && (
          <Button onClick={() => setSelected(saved)} data-testid="user-roles-reset">
            Undo changes
          </Button>
        )}
      </Flex>
      <Typography.Text strong>Through teams and directory groups</Typography.Text>
      {inherited.length ? (
        <List
          size="small"
          data-testid="user-inherited-roles"
          dataSource={inherited}
          renderItem={(role) => (
            <List.Item key={`${role.id}-${role.source}-${role.via ?? ''}`}>
              <Space>
                <RoleTag role={role} />
                <Typography.Text type="secondary">{roleSourceLabel(role)}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }} data-testid="user-inherited-roles-empty">
          None: this user holds no role through a team or a directory group.
        </Typography.Paragraph>
      )}
    </Card>
  )
}

function Reach({ permission }: { permission: EffectivePermission }) {
  const reach = permissionReach(permission)
  if (reach.kind === 'all') return <Tag color="green">All services</Tag>
  return (
    <Space size={[4, 4]} wrap>
      {reach.teams.map((team) => (
        <Tag key={`t-${team}`} color="cyan" style={{ marginInlineEnd: 0 }}>
          team {team}
        </Tag>
      ))}
      {reach.services.map((service) => (
        <Tag key={`s-${service}`} style={{ marginInlineEnd: 0 }}>
          {service}
        </Tag>
      ))}
    </Space>
  )
}

function PermissionsCard({ user, catalogue }: { user: AccessUserDetail; catalogue: readonly Permission[] }) {
  const order = [...new Set(catalogue.map((p) => p.module))]
  const titleOf = (module: string) => catalogue.find((p) => p.module === module)?.module_title || module
  const columns: TableColumnsType<EffectivePermission> = [
    { title: 'Module', dataIndex: 'module', key: 'module', width: 200, render: (module: string) => titleOf(module) },
    { title: 'Action', dataIndex: 'action', key: 'action', width: 120, render: (action: string) => actionLabel(action) },
    { title: 'Reaches', key: 'reach', render: (_: unknown, permission) => <Reach permission={permission} /> },
  ]
  return (
    <Card title="Effective permissions">
      {user.is_admin && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message="Administrators may do everything, on every service." />
      )}
      {!user.is_active && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="This user is disabled and cannot log in." />
      )}
      <Table<EffectivePermission>
        rowKey={(p) => `${p.module}.${p.action}`}
        size="small"
        data-testid="effective-permissions"
        columns={columns}
        dataSource={sortPermissions(user.permissions, order)}
        pagination={false}
        locale={{ emptyText: 'No permissions: this user can see nothing yet. Give a role or add them to a team.' }}
      />
    </Card>
  )
}

export function UserDetailPage() {
  const { id = '' } = useParams()
  const userId = Number(id)
  const user = useUser(userId)
  const catalogue = usePermissions()
  const canSeeHistory = useMyPermissions().can('audit', 'read')
  const canWrite = useCanWriteAccess()
  const me = useMe()
  const { message } = App.useApp()
  const update = useUpdateUser(userId)
  const [actionError, setActionError] = useState<unknown>(null)
  const name = user.data?.username ?? id
  usePageTitle({ title: 'Users & access', path: '/access' }, { title: 'Users', path: '/access/users' }, { title: name })

  const notFound = !Number.isInteger(userId) || userId <= 0 || (user.error instanceof ApiError && user.error.status === 404)
  if (notFound) {
    return (
      <div data-testid="user-not-found">
        <Result status="404" title="User not found" subTitle={`There is no user with id “${id}”.`} extra={<Link to="/access/users">Back to the users</Link>} />
      </div>
    )
  }
  if (user.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    )
  }
  if (user.isError) {
    return <QueryError query={user} title="Cannot load the user" />
  }

  const data = user.data
  const change = (body: AccessUserUpdate, done: string) =>
    update
      .mutateAsync(body)
      .then(() => {
        setActionError(null)
        message.success(done)
      })
      .catch((error: unknown) => setActionError(error))

  const guarded = (button: ReactNode, confirm: { title: string; description: string; ok: string; danger?: boolean; onConfirm: () => Promise<void> }) =>
    canWrite ? (
      <Popconfirm
        title={confirm.title}
        description={confirm.description}
        okText={confirm.ok}
        okButtonProps={{ danger: confirm.danger, 'data-testid': 'confirm-user-action' }}
        onConfirm={confirm.onConfirm}
      >
        {button}
      </Popconfirm>
    ) : (
      <WriteAction allowed={false}>{button}</WriteAction>
    )

  const toggleActive = guarded(
    <Button
      danger={data.is_active}
      icon={data.is_active ? <StopOutlined /> : <CheckCircleOutlined />}
      loading={update.isPending && update.variables?.is_active !== undefined}
      data-testid="user-toggle-active"
    >
      {data.is_active ? 'Disable' : 'Enable'}
    </Button>,
    data.is_active
      ? {
          title: `Disable ${data.username}?`,
          description: 'They are logged out and can no longer log in or use their API tokens.',
          ok: 'Disable',
          danger: true,
          onConfirm: () => change({ is_active: false }, `${data.username} disabled`),
        }
      : {
          title: `Enable ${data.username}?`,
          description: 'They can log in again with the roles they hold.',
          ok: 'Enable',
          onConfirm: () => change({ is_active: true }, `${data.username} enabled`),
        },
  )

  const toggleAdmin = guarded(
    <Button
      icon={<CrownOutlined />}
      loading={update.isPending && update.variables?.is_admin !== undefined}
      data-testid="user-toggle-admin"
    >
      {data.is_admin ? 'Remove admin' : 'Make admin'}
    </Button>,
    data.is_admin
      ? {
          title: `Remove admin from ${data.username}?`,
          description: 'They keep only what their roles allow.',
          ok: 'Remove admin',
          danger: true,
          onConfirm: () => change({ is_admin: false }, `${data.username} is no longer an administrator`),
        }
      : {
          title: `Make ${data.username} an administrator?`,
          description: 'Administrators may do everything, including managing users and roles.',
          ok: 'Make admin',
          onConfirm: () => change({ is_admin: true }, `${data.username} is now an administrator`),
        },
  )

  return (
    <div data-testid="user-detail">
      <PageHeading
        title={
          <Space size={8} wrap>
            <span data-testid="user-title">{data.display_name || data.username}</span>
            {data.display_name && data.display_name !== data.username && (
              <Typography.Text type="secondary" code style={{ fontSize: 14, fontWeight: 'normal' }}>
                {data.username}
              </Typography.Text>
            )}
            {data.is_admin && <Tag color="gold" data-testid="user-admin-tag">admin</Tag>}
            {!data.is_active && <Tag data-testid="user-disabled-tag">disabled</Tag>}
          </Space>
        }
        extra={
          <>
            {canSeeHistory && (
              <Link to={historyPath('user', String(data.id))} data-testid="user-history">
                <Button icon={<HistoryOutlined />}>History</Button>
              </Link>
            )}
            {toggleActive}
            {toggleAdmin}
            {canWrite && data.source === 'local' && <PasswordLinkButton userId={data.id} username={data.username} />}
            {canWrite && data.source === 'local' && <ResetPasswordButton userId={data.id} username={data.username} />}
          </>
        }
      />
      {actionError !== null && (
        <ErrorAlert
          error={actionError}
          title="The change was not made"
          testId="user-action-error"
          style={{ marginBottom: 16 }}
          action={<Button size="small" type="text" onClick={() => setActionError(null)} aria-label="Dismiss">Dismiss</Button>}
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <UserInfo user={data} />
      </Card>
      <RolesCard key={manualRoleIds(data.roles).join(',')} user={data} canWrite={canWrite} />
      {catalogue.isError && <ErrorAlert error={catalogue.error} title="Cannot load the permission catalogue" style={{ marginBottom: 12 }} />}
      <PermissionsCard user={data} catalogue={catalogue.data ?? []} />
      {me.data?.is_admin && <UserTokensCard userId={data.id} />}
    </div>
  )
}
