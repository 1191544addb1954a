import { useState, type HTMLAttributes } from 'react'
import { App, Button, Card, Empty, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { DeleteOutlined, EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons'
import { problemOf } from '../../../api/errors'
import type { Role } from '../../../api/types'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { useDeleteRole, useRoles } from '../queries'
import { useCanWriteAccess, WriteAction } from '../WriteGuard'
import { RoleDrawer } from './RoleDrawer'
import { QueryError } from '../../../components/QueryError'
import { noWrapCell } from '../../../components/noWrapCell'

export function RolesPage() {
  usePageTitle({ title: 'Users & access', path: '/access' }, { title: 'Roles' })
  const roles = useRoles()
  const remove = useDeleteRole()
  const canWrite = useCanWriteAccess()
  const { message } = App.useApp()
  const [drawer, setDrawer] = useState<{ open: boolean; role: Role | null }>({ open: false, role: null })
  const openNew = () => setDrawer({ open: true, role: null })

  const columns: TableColumnsType<Role> = [
    {
      title: 'Name',
      dataIndex: 'name',
      key: 'name',
      onCell: noWrapCell,
      render: (name: string, role) => (
        <Space size={6}>
          <Typography.Link strong onClick={() => setDrawer({ open: true, role })} data-testid={`role-link-${name}`}>
            {name}
          </Typography.Link>
          {role.builtin && <Tag color="gold" data-testid={`role-builtin-${name}`}>built-in</Tag>}
        </Space>
      ),
    },
    {
      title: 'Description',
      dataIndex: 'description',
      key: 'description',
      render: (text: string) => text || <Typography.Text type="secondary">—</Typography.Text>,
    },
    {
      title: 'Grants',
      key: 'grants',
      render: (_: unknown, role) => <Tag>{role.grants.length}</Tag>,
    },
    {
      title: 'Actions',
      key: 'actions',
      onCell: noWrapCell,
      align: 'right',
      render: (_: unknown, role) =>
        role.builtin ? (
          <Tooltip title="View">
            <Button size="small" icon={<EyeOutlined />} aria-label={`View ${role.name}`} onClick={() => setDrawer({ open: true, role })} data-testid={`view-role-${role.name}`} />
          </Tooltip>
        ) : (
          <Space size={4}>
            <Tooltip title={canWrite ? 'Edit' : 'View'}>
              <Button size="small" icon={canWrite ? <EditOutlined /> : <EyeOutlined />} aria-label={`Edit ${role.name}`} onClick={() => setDrawer({ open: true, role })} data-testid={`edit-role-${role.name}`} />
            </Tooltip>
            {canWrite ? (
              <Popconfirm
                title={`Delete role ${role.name}?`}
                description="Users and teams holding it lose what it grants."
                okText="Delete"
                okButtonProps={{ danger: true, 'data-testid': 'confirm-delete' }}
                onConfirm={() =>
                  remove
                    .mutateAsync(role.id)
                    .then(() => message.success(`Role ${role.name} deleted`))
                    .catch((error: unknown) => {
                      const problem = problemOf(error)
                      message.error(problem.detail ?? problem.title)
                    })
                }
              >
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete ${role.name}`} data-testid={`delete-role-${role.name}`} />
              </Popconfirm>
            ) : (
              <WriteAction allowed={false}>
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete ${role.name}`} data-testid={`delete-role-${role.name}`} />
              </WriteAction>
            )}
          </Space>
        ),
    },
  ]

  return (
    <div data-testid="roles-page">
      <PageHeading
        title="Roles"
        subtitle="What a role grants: actions on modules, over every service or some teams' or services'. Give roles to users and teams."
        extra={
          <WriteAction allowed={canWrite}>
            <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="new-role">
              New role
            </Button>
          </WriteAction>
        }
      />
      <Card styles={{ body: { padding: 16 } }}>
        {roles.isError ? (
          <QueryError query={roles} title="Cannot load the roles" />
        ) : (
          <Table<Role>
            rowKey="id"
            size="middle"
            data-testid="roles-table"
            columns={columns}
            dataSource={roles.data?.items ?? []}
            loading={roles.isFetching}
            scroll={{ x: 560 }}
            pagination={false}
            onRow={(record) => ({ 'data-testid': `role-row-${record.name}` }) as HTMLAttributes<HTMLElement>}
            locale={{ emptyText: roles.isPending ? ' ' : <Empty description="No roles yet." data-testid="roles-empty" /> }}
          />
        )}
      </Card>
      <RoleDrawer open={drawer.open} role={drawer.role} canWrite={canWrite} onClose={() => setDrawer((d) => ({ ...d, open: false }))} />
    </div>
  )
}
