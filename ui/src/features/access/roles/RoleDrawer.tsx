import { useEffect, useMemo, useState } from 'react'
import { Alert, App, Button, Drawer, Flex, Form, Input, Tag, Typography } from 'antd'
import type { Grant, Role } from '../../../api/types'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { useCreateRole, usePermissions, useServiceNames, useTeams, useUpdateRole } from '../queries'
import { describeGrantErrors, grantsFromMatrix, matrixFromGrants, matrixProblems, matrixRows, type GrantMatrix } from './grantMatrix'
import { GrantMatrixEditor } from './GrantMatrixEditor'
import { ErrorAlert } from '../../../components/ErrorAlert'

interface Props {
  open: boolean
  /** The role to edit (or view, when built in), or null for a new one. */
  role: Role | null
  canWrite: boolean
  onClose: () => void
}

interface RoleValues {
  name: string
  description: string
  matrix: GrantMatrix
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

export function RoleDrawer({ open, role, canWrite, onClose }: Props) {
  const [form] = Form.useForm<RoleValues>()
  const { message } = App.useApp()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const [cellProblems, setCellProblems] = useState<string[]>([])
  const permissions = usePermissions()
  const teams = useTeams()
  const services = useServiceNames()
  const create = useCreateRole()
  const update = useUpdateRole(role?.id ?? 0)
  const saving = create.isPending || update.isPending
  const readOnly = Boolean(role?.builtin) || !canWrite
  const catalogue = permissions.data ?? []
  const initialGrants = useMemo(() => role?.grants ?? [], [role])
  const { matrix: initialMatrix, leftover } = useMemo(() => matrixFromGrants(initialGrants), [initialGrants])
  const rows = useMemo(() => matrixRows(catalogue, initialGrants), [catalogue, initialGrants])

  useEffect(() => {
    if (open) {
      form.resetFields()
      form.setFieldsValue({ name: role?.name ?? '', description: role?.description ?? '', matrix: initialMatrix })
      setProblem(null)
      setCellProblems([])
    }
  }, [open, role, form, initialMatrix])

  const onFinish = (values: RoleValues) => {
    setProblem(null)
    const matrix = values.matrix ?? {}
    const problems = matrixProblems(matrix, catalogue)
    setCellProblems(problems)
    if (problems.length) return
    const grants: Grant[] = grantsFromMatrix(matrix, leftover)
    const handlers = {
      onSuccess: (saved: Role) => {
        message.success(role ? `Role ${saved.name} saved` : `Role ${saved.name} created`)
        onClose()
      },
      onError: (error: unknown) => {
        const applied = applyProblemToForm(form, error)
        setProblem({ ...applied, messages: describeGrantErrors(applied.messages, grants, catalogue) })
      },
    }
    const name = values.name.trim()
    const description = values.description ?? ''
    if (role) {
      const body = {
        ...(name !== role.name ? { name } : {}),
        ...(description !== role.description ? { description } : {}),
        ...(!same(grants, grantsFromMatrix(initialMatrix, leftover)) ? { grants } : {}),
      }
      if (Object.keys(body).length === 0) {
        onClose()
        return
      }
      update.mutate(body, handlers)
    } else {
      create.mutate({ name, description, grants }, handlers)
    }
  }

  const title = role ? (role.builtin ? `Role ${role.name}` : `Edit ${role.name}`) : 'New role'

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={980}
      destroyOnHidden
      title={
        <span>
          {title} {role?.builtin && <Tag color="gold">built-in</Tag>}
        </span>
      }
      data-testid="role-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{readOnly ? 'Close' : 'Cancel'}</Button>
          {!readOnly && (
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="role-save">
              {role ? 'Save' : 'Create role'}
            </Button>
          )}
        </Flex>
      }
    >
      {role?.builtin && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message="Built-in roles cannot be changed"
          description="Create a role of your own to grant something else."
          data-testid="role-builtin-note"
        />
      )}
      {!role?.builtin && !canWrite && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message="Needs the access write permission" description="You can look at this role but not change it." />
      )}
      <FormProblem state={problem} title={role ? 'The role was not saved' : 'The role was not created'} />
      {cellProblems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message="Some grants need targets"
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {cellProblems.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          }
          data-testid="grant-problems"
        />
      )}
      {permissions.isError && <ErrorAlert error={permissions.error} title="Cannot load the permission catalogue" style={{ marginBottom: 16 }} />}
      <Form<RoleValues> form={form} layout="vertical" onFinish={onFinish} disabled={readOnly} data-testid="role-form">
        <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true, message: 'A name is required' }, { max: 100 }]}>
          <Input placeholder="Payments developers" autoComplete="off" data-testid="role-name" />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="role-description" />
        </Form.Item>
        <Form.Item
          label="Grants"
          name="matrix"
          extra="Tick what the role may do and how far it reaches. Write includes read."
        >
          <GrantMatrixEditor
            rows={rows}
            disabled={readOnly}
            teamNames={(teams.data?.items ?? []).map((team) => team.name)}
            serviceNames={services.data ?? []}
          />
        </Form.Item>
      </Form>
      {leftover.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="grant-leftover"
          message="Kept as they are"
          description={
            <>
              <Typography.Text>These grants repeat a cell with another kind of scope; the matrix cannot show them, and saving keeps them:</Typography.Text>
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {leftover.map((g) => (
                  <li key={`${g.module}-${g.action}-${g.scope}-${(g.targets ?? []).join(',')}`}>
                    {g.module} · {g.action}: {g.scope} {(g.targets ?? []).join(', ')}
                  </li>
                ))}
              </ul>
            </>
          }
        />
      )}
    </Drawer>
  )
}
