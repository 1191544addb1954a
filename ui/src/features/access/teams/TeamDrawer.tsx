import { useEffect, useState } from 'react'
import { App, Button, Drawer, Flex, Form, Input, Select } from 'antd'
import type { Team } from '../../../api/types'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { useDebounced } from '../../../components/useDebounced'
import { useCreateTeam, useRoles, useUpdateTeam, useUsers } from '../queries'
import { TEAM_NAME_PATTERN, teamCreate, teamPatch, teamValues, type TeamValues } from './teamBody'

interface Props {
  open: boolean
  /** The team to edit, or null to create one. */
  team: Team | null
  canWrite: boolean
  onClose: () => void
}

/** Usernames to pick from: a search of GET /users, plus whoever is picked already. */
function MembersSelect({ value = [], onChange, disabled }: { value?: string[]; onChange?: (v: string[]) => void; disabled?: boolean }) {
  const [search, setSearch] = useState('')
  const q = useDebounced(search.trim(), 300)
  const users = useUsers({ q, limit: 20, offset: 0 })
  const names = [...new Set([...(users.data?.items ?? []).map((u) => u.username), ...value])]
  return (
    <Select<string[]>
      mode="multiple"
      value={value}
      onChange={onChange}
      disabled={disabled}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      onBlur={() => setSearch('')}
      loading={users.isFetching}
      placeholder="Search users by name or email"
      notFoundContent={users.isFetching ? 'Searching…' : 'No user matches'}
      options={names.map((name) => ({ value: name, label: name }))}
      aria-label="Members"
      data-testid="team-members"
    />
  )
}

export function TeamDrawer({ open, team, canWrite, onClose }: Props) {
  const [form] = Form.useForm<TeamValues>()
  const { message } = App.useApp()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const roles = useRoles()
  const create = useCreateTeam()
  const update = useUpdateTeam(team?.name ?? '')
  const saving = create.isPending || update.isPending
  const initial = teamValues(team)
  const readOnly = !canWrite

  useEffect(() => {
    if (open) {
      form.resetFields()
      form.setFieldsValue(teamValues(team))
      setProblem(null)
    }
  }, [open, team, form])

  const onFinish = (values: TeamValues) => {
    setProblem(null)
    const handlers = {
      onSuccess: (saved: Team) => {
        message.success(team ? `Team ${saved.name} saved` : `Team ${saved.name} created`)
        onClose()
      },
      onError: (error: unknown) => setProblem(applyProblemToForm(form, error)),
    }
    if (team) {
      const body = teamPatch(values, initial)
      if (Object.keys(body).length === 0) onClose()
      else update.mutate(body, handlers)
    } else {
      create.mutate(teamCreate(values), handlers)
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={560}
      destroyOnHidden
      title={team ? `${readOnly ? 'Team' : 'Edit'} ${team.display_name || team.name}` : 'New team'}
      data-testid="team-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{readOnly ? 'Close' : 'Cancel'}</Button>
          {!readOnly && (
            <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="team-save">
              {team ? 'Save' : 'Create team'}
            </Button>
          )}
        </Flex>
      }
    >
      <FormProblem state={problem} title={team ? 'The team was not saved' : 'The team was not created'} />
      <Form<TeamValues> form={form} layout="vertical" initialValues={initial} onFinish={onFinish} disabled={readOnly} data-testid="team-form">
        <Form.Item
          label="Name"
          name="name"
          extra="What services put in their team field: lowercase letters, digits and '-', 1 to 100 characters. Cannot be changed later."
          rules={[
            { required: true, message: 'A name is required' },
            { pattern: TEAM_NAME_PATTERN, message: "Use lowercase letters, digits and '-' (not at the start or end)" },
          ]}
        >
          <Input disabled={Boolean(team) || readOnly} placeholder="payments" autoComplete="off" data-testid="team-name" />
        </Form.Item>
        <Form.Item label="Display name" name="display_name" rules={[{ max: 200 }]}>
          <Input placeholder="Payments" data-testid="team-display-name" />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="team-description" />
        </Form.Item>
        <Form.Item label="Members" name="members" extra="Members hold the team's roles, over the services the team owns when a role says so.">
          <MembersSelect />
        </Form.Item>
        <Form.Item label="Roles" name="roles" extra="Every member holds these roles.">
          <Select<number[]>
            mode="multiple"
            loading={roles.isPending}
            optionFilterProp="label"
            placeholder="No roles"
            options={(roles.data?.items ?? []).map((role) => ({ value: role.id, label: role.name }))}
            aria-label="Roles"
            data-testid="team-roles"
          />
        </Form.Item>
      </Form>
    </Drawer>
  )
}
