import { useState } from 'react'
import { App, Button, Card, Form, Input, Typography } from 'antd'
import { applyProblemToForm } from '../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../components/FormProblem'
import { PageHeading } from '../../components/PageHeading'
import { usePageTitle } from '../../components/PageTitle'
import { useMe } from '../auth/queries'
import { ChosenPasswordFields } from './passwordRules'
import { useChangePassword } from './queries'

interface PasswordValues {
  current_password: string
  new_password: string
  repeated: string
}

/** Change one's own password (local accounts); the other sessions end, this one stays. */
export function PasswordPage() {
  usePageTitle({ title: 'Password', path: '/account/password' })
  const me = useMe()
  const { message } = App.useApp()
  const [form] = Form.useForm<PasswordValues>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const change = useChangePassword()
  const directory = me.data && me.data.source !== 'local'

  const onFinish = ({ current_password, new_password }: PasswordValues) => {
    setProblem(null)
    change.mutate(
      { current_password, new_password },
      {
        onSuccess: () => {
          form.resetFields()
          void message.success('Password changed; your other sessions were ended')
        },
        onError: (error) => setProblem(applyProblemToForm(form, error)),
      },
    )
  }

  return (
    <div data-testid="password-page">
      <PageHeading title="Password" subtitle="Change the password you log in with." />
      <Card style={{ maxWidth: 560 }}>
        {directory ? (
          <Typography.Paragraph data-testid="password-directory">
            You log in through the company directory (LDAP): change your password there.
          </Typography.Paragraph>
        ) : (
          <Form<PasswordValues> form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
            <FormProblem state={problem} title="The password was not changed" />
            <Form.Item name="current_password" label="Current password" rules={[{ required: true, message: 'Enter your current password' }]}>
              <Input.Password autoComplete="current-password" data-testid="current-password" />
            </Form.Item>
            <ChosenPasswordFields testIds={{ password: 'new-password', repeat: 'repeat-password' }} />
            <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="change-password">
              Change password
            </Button>
          </Form>
        )}
      </Card>
    </div>
  )
}
