import { useState } from 'react'
import { Checkbox, Form, Input, Modal } from 'antd'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { GivenPasswordField } from '../../account/passwordRules'
import { useCreateUser } from '../queries'

interface NewUserValues {
  username: string
  display_name?: string
  email?: string
  password: string
  is_admin?: boolean
}

interface Props {
  open: boolean
  /** Only an admin may make an admin; the box is hidden from the others. */
  canMakeAdmins: boolean
  onClose: () => void
  onCreated: (id: number) => void
}

/** A local account with its initial password; roles are given on the user's page. */
export function NewUserModal({ open, canMakeAdmins, onClose, onCreated }: Props) {
  const [form] = Form.useForm<NewUserValues>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const create = useCreateUser()
  const close = () => {
    setProblem(null)
    form.resetFields()
    onClose()
  }
  const onFinish = (values: NewUserValues) => {
    setProblem(null)
    create.mutate(
      {
        username: values.username.trim(),
        display_name: values.display_name?.trim() ?? '',
        email: values.email?.trim() || null,
        password: values.password,
        is_admin: Boolean(values.is_admin),
      },
      {
        onSuccess: (user) => {
          form.resetFields()
          onCreated(user.id)
        },
        onError: (error) => setProblem(applyProblemToForm(form, error)),
      },
    )
  }
  return (
    <Modal
      open={open}
      title="New local user"
      okText="Create user"
      okButtonProps={{ loading: create.isPending, 'data-testid': 'create-user' }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <Form<NewUserValues> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
        <FormProblem state={problem} title="The user was not created" />
        <Form.Item
          name="username"
          label="Username"
          extra="What they log in with: letters, digits and . _ @ -"
          rules={[
            { required: true, message: 'Enter a username' },
            { pattern: /^[A-Za-z0-9._@-]+$/, message: 'Use letters, digits and . _ @ - only' },
          ]}
        >
          <Input autoComplete="off" data-testid="new-user-username" />
        </Form.Item>
        <Form.Item name="display_name" label="Name">
          <Input data-testid="new-user-name" />
        </Form.Item>
        <Form.Item name="email" label="E-mail" rules={[{ type: 'email', message: 'Enter an e-mail address' }]}>
          <Input data-testid="new-user-email" />
        </Form.Item>
        <GivenPasswordField label="Initial password" testId="new-user-password" />
        {canMakeAdmins && (
          <Form.Item name="is_admin" valuePropName="checked">
            <Checkbox data-testid="new-user-admin">Administrator (may do everything)</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}
