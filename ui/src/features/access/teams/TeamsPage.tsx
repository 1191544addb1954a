import { useState, type HTMLAttributes } from 'react'
import { App, Button, Card, Empty, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { DeleteOutlined, EditOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons'
import { problemOf } from '../../../api/errors'
import type { Team } from '../../../api/types'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { useDeleteTeam, useRoles, useTeams } from '../queries'
import { Dash } from '../shared'
import { useCanWriteAccess, WriteAction } from '../WriteGuard'
import { TeamDrawer } from './TeamDrawer'
import { QueryError } from '../../../components/QueryError'

const MAX_MEMBERS_SHOWN = 6

export function TeamsPage() {
  usePageTitle({ title: 'Users & access', path: '/access' }, { title: 'Teams' })
  const teams = useTeams()
  const roles = useRoles()
  const remove = useDeleteTeam()
  const canWrite = useCanWriteAccess()
  const { message } = App.useApp()
  const [drawer, setDrawer] = useState<{ open: boolean; team: Team | null }>({ open: false, team: null })
  const openNew = () => setDrawer({ open: true, team: null })
  const roleName = (id: number) => roles.data?.items.find((role) => role.id === id)?.name ?? `#${id}`

  const columns: TableColumnsType<Team> = [
    {
      title: 'Name',
      dataIndex: 'name',
      key: 'name',
      width: 170,
      render: (name: string, team) => (
        <Typography.Link strong onClick={() => setDrawer({ open: true, team })} data-testid={`team-link-${name}`}>
          {name}
        </Typography.Link>
      ),
    },
    { title: 'Display name', dataIndex: 'display_name', key: 'display_name', width: 170, ellipsis: true, render: (v: string) => v || <Dash /> },
    {
      title: 'Members',
      dataIndex: 'members',
      key: 'members',
      render: (members: string[]) =>
        members.length ? (
          <Space size={[4, 4]} wrap>
            {members.slice(0, MAX_MEMBERS_SHOWN).map((m) => (
              <Tag key={m} style={{ marginInlineEnd: 0 }}>{m}</Tag>
            ))}
            {members.length > MAX_MEMBERS_SHOWN && (
              <Tooltip title={members.slice(MAX_MEMBERS_SHOWN).join(', ')}>
                <Tag style={{ marginInlineEnd: 0 }}>+{members.length - MAX_MEMBERS_SHOWN}</Tag>
              </Tooltip>
            )}
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
      render: (ids: number[]) =>
        ids.length ? (
          <Space size={[4, 4]} wrap>
            {ids.map((id) => (
              <Tag key={id} color="green" style={{ marginInlineEnd: 0 }}>{roleName(id)}</Tag>
            ))}
          </Space>
        ) : (
          <Dash />
        ),
    },
    {
      title: 'Actions',
      key: 'actions',
      width: 100,
      align: 'right',
      render: (_: unknown, team) => (
        <Space size={4}>
          <Tooltip title={canWrite ? 'Edit' : 'View'}>
            <Button size="small" icon={canWrite ? <EditOutlined /> : <EyeOutlined />} aria-label={`Edit ${team.name}`} onClick={() => setDrawer({ open: true, team })} data-testid={`edit-team-${team.name}`} />
          </Tooltip>
          {canWrite ? (
            <Popconfirm
              title={`Delete team ${team.name}?`}
              description="Its members lose the roles it gives. Services keep their team field."
              okText="Delete"
              okButtonProps={{ danger: true, 'data-testid': 'confirm-delete' }}
              onConfirm={() =>
                remove
                  .mutateAsync(team.name)
                  .then(() => message.success(`Team ${team.name} deleted`))
                  .catch((error: unknown) => {
                    const problem = problemOf(error)
                    message.error(problem.detail ?? problem.title)
                  })
              }
            >
              <Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete ${team.name}`} data-testid={`delete-team-${team.name}`} />
            </Popconfirm>
          ) : (
            <WriteAction allowed={false}>
              <Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete ${team.name}`} data-testid={`delete-team-${team.name}`} />
            </WriteAction>
          )}
        </Space>
      ),
    },
  ]

  return (
    <div data-testid="teams-page">
      <PageHeading
        title="Teams"
        subtitle="Groups of users that own services. A team's roles are held by all its members."
        extra={
          <WriteAction allowed={canWrite}>
            <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="new-team">
              New team
            </Button>
          </WriteAction>
        }
      />
      <Card styles={{ body: { padding: 16 } }}>
        {teams.isError ? (
          <QueryError query={teams} title="Cannot load the teams" />
        ) : (
          <Table<Team>
            rowKey="id"
            size="middle"
            data-testid="teams-table"
            columns={columns}
            dataSource={teams.data?.items ?? []}
            loading={teams.isFetching}
            scroll={{ x: 900 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            onRow={(record) => ({ 'data-testid': `team-row-${record.name}` }) as HTMLAttributes<HTMLElement>}
            locale={{
              emptyText: teams.isPending ? (
                ' '
              ) : (
                <Empty description="No teams yet. Create one to give its members roles over the services it owns." data-testid="teams-empty">
                  <WriteAction allowed={canWrite}>
                    <Button type="primary" icon={<PlusOutlined />} onClick={openNew} data-testid="empty-new-team">
                      New team
                    </Button>
                  </WriteAction>
                </Empty>
              ),
            }}
          />
        )}
      </Card>
      <TeamDrawer open={drawer.open} team={drawer.team} canWrite={canWrite} onClose={() => setDrawer((d) => ({ ...d, open: false }))} />
    </div>
  )
}
