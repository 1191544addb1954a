import { useState } from 'react'
import { App, Button, Form, Modal } from 'antd'
import { KeyOutlined } from '@ant-design/icons'
import { applyProblemToForm } from '../../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import { GivenPasswordField } from '../../account/passwordRules'
import { useResetPassword } from '../../account/queries'

/** An admin gives a local user a new password to pass on; the user's sessions end. */
export function ResetPasswordButton({ userId, username }: { userId: number; username: string }) {
  const { message } = App.useApp()
  const [open, setOpen] = useState(false)
  const [form] = Form.useForm<{ password: string }>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const reset = useResetPassword(userId)
  const close = () => {
    setOpen(false)
    setProblem(null)
    form.resetFields()
  }
  const onFinish = ({ password }: { password: string }) =>
    reset.mutate(password, {
      onSuccess: () => {
        close()
        void message.success(`New password set for ${username}; their sessions were ended`)
      },
      onError: (error) => setProblem(applyProblemToForm(form, error)),
    })
  return (
    <>
      <Button icon={<KeyOutlined />} onClick={() => setOpen(true)} data-testid="reset-password">
        Reset password
      </Button>
      <Modal
        open={open}
        title={`New password for ${username}`}
        okText="Set password"
        okButtonProps={{ loading: reset.isPending, 'data-testid': 'confirm-reset-password' }}
        onOk={() => form.submit()}
        onCancel={close}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <FormProblem state={problem} title="The password was not set" />
          <GivenPasswordField label="New password" testId="reset-password-input" />
        </Form>
      </Modal>
    </>
  )
}
