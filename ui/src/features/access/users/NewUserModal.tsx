import { useState } from 'react'
import { Button, Checkbox, Form, Input, Modal, Radio } from 'antd'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { GivenPasswordField, PasswordLinkView } from '../../account/passwordRules'
import { useCreateUser } from '../queries'

interface NewUserValues {
  username: string
  display_name?: string
  email?: string
  how: 'link' | 'password'
  password?: string
  is_admin?: boolean
}

interface Created {
  id: number
  username: string
  link: { url: string; expires_at: string }
}

interface Props {
  open: boolean
  /** Only an admin may make an admin; the box is hidden from the others. */
  canMakeAdmins: boolean
  onClose: () => void
  onCreated: (id: number) => void
}

/** A local account, with a one-time link for the user to choose their password (the
 * default: nobody else ever knows it) or an initial password; roles are given on the
 * user's page. */
export function NewUserModal({ open, canMakeAdmins, onClose, onCreated }: Props) {
  const [form] = Form.useForm<NewUserValues>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const [created, setCreated] = useState<Created | null>(null)
  const how = Form.useWatch('how', form) ?? 'link'
  const create = useCreateUser()
  const close = () => {
    setProblem(null)
    setCreated(null)
    form.resetFields()
    onClose()
  }
  if (created) {
    return (
      <Modal
        open={open}
        title={`${created.username} was created`}
        onCancel={close}
        footer={
          <Button type="primary" onClick={() => onCreated(created.id)} data-testid="open-new-user">
            Open their page
          </Button>
        }
      >
        <PasswordLinkView username={created.username} link={created.link} />
      </Modal>
    )
  }
  const onFinish = (values: NewUserValues) => {
    setProblem(null)
    create.mutate(
      {
        username: values.username.trim(),
        display_name: values.display_name?.trim() ?? '',
        email: values.email?.trim() || null,
        password: values.how === 'password' ? values.password : null,
        is_admin: Boolean(values.is_admin),
      },
      {
        onSuccess: (user) => {
          form.resetFields()
          if (user.password_link) setCreated({ id: user.id, username: user.username, link: user.password_link })
          else onCreated(user.id)
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
      <Form<NewUserValues> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} initialValues={{ how: 'link' }}>
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
        <Form.Item name="how" label="Their password">
          <Radio.Group data-testid="new-user-how">
            <Radio value="link" data-testid="new-user-how-link">
              They choose it, with a one-time link
            </Radio>
            <Radio value="password" data-testid="new-user-how-password">
              I set one now
            </Radio>
          </Radio.Group>
        </Form.Item>
        {how === 'password' && <GivenPasswordField label="Initial password" testId="new-user-password" />}
        {canMakeAdmins && (
          <Form.Item name="is_admin" valuePropName="checked">
            <Checkbox data-testid="new-user-admin">Administrator (may do everything)</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  )
}
