import { useState, type HTMLAttributes } from 'react'
import { Alert, App, Button, Card, Empty, Form, Input, Popconfirm, Select, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { problemOf } from '../../../api/errors'
import type { GroupMapping, GroupMappingCreate } from '../../../api/types'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { PageHeading } from '../../../components/PageHeading'
import { usePageTitle } from '../../../components/PageTitle'
import { useCreateMapping, useDeleteMapping, useMappings, useRoles } from '../queries'
import { useCanWriteAccess, WriteAction } from '../WriteGuard'
import { QueryError } from '../../../components/QueryError'

interface MappingValues {
  group: string
  role_id: number | undefined
}

function MapGroupForm({ canWrite }: { canWrite: boolean }) {
  const [form] = Form.useForm<MappingValues>()
  const { message } = App.useApp()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const roles = useRoles()
  const create = useCreateMapping()

  const onFinish = (values: MappingValues) => {
    setProblem(null)
    const body: GroupMappingCreate = { group: values.group.trim(), role_id: values.role_id ?? 0 }
    create.mutate(body, {
      onSuccess: (saved) => {
        message.success(`Group ${saved.group} now gives ${saved.role_name}`)
        form.resetFields()
      },
      onError: (error) => setProblem(applyProblemToForm(form, error)),
    })
  }

  return (
    <Card title="Map a group" style={{ marginBottom: 16 }} data-testid="new-mapping">
      <FormProblem state={problem} title="The group was not mapped" />
      <Form<MappingValues> form={form} layout="inline" onFinish={onFinish} disabled={!canWrite} style={{ rowGap: 12 }}>
        <Form.Item
          label="Group"
          name="group"
          rules={[{ required: true, whitespace: true, message: 'A group is required' }, { max: 500 }]}
          style={{ flex: '1 1 360px' }}
        >
          <Input placeholder="cn=sre,ou=groups,dc=example,dc=com" autoComplete="off" data-testid="mapping-group" />
        </Form.Item>
        <Form.Item label="Role" name="role_id" rules={[{ required: true, message: 'Pick a role' }]} style={{ minWidth: 240 }}>
          <Select<number>
            placeholder="Role"
            loading={roles.isPending}
            showSearch
            optionFilterProp="label"
            options={(roles.data?.items ?? []).map((role) => ({ value: role.id, label: role.name }))}
            aria-label="Role"
            data-testid="mapping-role"
          />
        </Form.Item>
        <Form.Item>
          <WriteAction allowed={canWrite}>
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={create.isPending} data-testid="mapping-save">
              Map group
            </Button>
          </WriteAction>
        </Form.Item>
      </Form>
    </Card>
  )
}

export function GroupsPage() {
  usePageTitle({ title: 'Users & access', path: '/access' }, { title: 'Directory groups' })
  const mappings = useMappings()
  const remove = useDeleteMapping()
  const canWrite = useCanWriteAccess()
  const { message } = App.useApp()

  const columns: TableColumnsType<GroupMapping> = [
    {
      title: 'Directory group',
      dataIndex: 'group',
      key: 'group',
      ellipsis: true,
      render: (group: string) => <Typography.Text code copyable={{ text: group }}>{group}</Typography.Text>,
    },
    { title: 'Role', dataIndex: 'role_name', key: 'role_name', width: 220 },
    {
      title: 'Actions',
      key: 'actions',
      width: 90,
      align: 'right',
      render: (_: unknown, mapping) => {
        const button = (
          <Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete mapping of ${mapping.group}`} data-testid={`delete-mapping-${mapping.id}`} />
        )
        return canWrite ? (
          <Popconfirm
            title="Delete this mapping?"
            description={`Members of ${mapping.group} lose ${mapping.role_name} at their next login.`}
            okText="Delete"
            okButtonProps={{ danger: true, 'data-testid': 'confirm-delete' }}
            onConfirm={() =>
              remove
                .mutateAsync(mapping.id)
                .then(() => message.success('Mapping deleted'))
                .catch((error: unknown) => {
                  const problem = problemOf(error)
                  message.error(problem.detail ?? problem.title)
                })
            }
          >
            {button}
          </Popconfirm>
        ) : (
          <WriteAction allowed={false}>{button}</WriteAction>
        )
      },
    },
  ]

  return (
    <div data-testid="groups-page">
      <PageHeading
        title="Directory groups"
        subtitle="LDAP groups whose members get a role when they log in. Use the group's DN or name as the directory reports it."
      />
      {mappings.data && !mappings.data.directory_enabled && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="ldap-off"
          message="LDAP login is off"
          description={
            <>
              Only local accounts log in, so no directory group gives a role yet. To turn LDAP on, set{' '}
              <Typography.Text code>GYRFALCON_LDAP_URIS</Typography.Text>,{' '}
              <Typography.Text code>GYRFALCON_LDAP_USER_BASE</Typography.Text> and the group settings, then restart
              (see docs/guide/ldap.md). Mappings made now apply from then on.
            </>
          }
        />
      )}
      <MapGroupForm canWrite={canWrite} />
      <Card styles={{ body: { padding: 16 } }}>
        {mappings.isError ? (
          <QueryError query={mappings} title="Cannot load the group mappings" />
        ) : (
          <Table<GroupMapping>
            rowKey="id"
            size="middle"
            data-testid="mappings-table"
            columns={columns}
            dataSource={mappings.data?.items ?? []}
            loading={mappings.isFetching}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
            onRow={(record) => ({ 'data-testid': `mapping-row-${record.id}` }) as HTMLAttributes<HTMLElement>}
            locale={{ emptyText: mappings.isPending ? ' ' : <Empty description="No directory group is mapped to a role." data-testid="mappings-empty" /> }}
          />
        )}
      </Card>
    </div>
  )
}
