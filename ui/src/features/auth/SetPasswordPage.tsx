import { useEffect, useState } from 'react'
import { Alert, Button, Card, Flex, Form, Result, Skeleton, Typography } from 'antd'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link, useLocation } from 'react-router'
import { api, unwrap } from '../../api/client'
import { problemOf } from '../../api/errors'
import { LogoMark } from '../../app/Logo'
import { applyProblemToForm } from '../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../components/FormProblem'
import { ChosenPasswordFields } from '../account/passwordRules'

/**
 * Where a one-time set-password link leads, before any login. The token is the link's
 * fragment (after '#'), which browsers never send to a server; the page posts it in a
 * body to learn whose link it is and then to set the chosen password.
 */
export function SetPasswordPage() {
  const token = useLocation().hash.replace(/^#/, '')
  const [form] = Form.useForm<{ password: string; repeated: string }>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  useEffect(() => {
    document.title = 'Choose your password · Gyrfalcon'
  }, [])
  const owner = useQuery({
    queryKey: ['password-link', token],
    queryFn: () => unwrap(api.POST('/api/v1/auth/password-link/check', { body: { token } })),
    enabled: token.length > 0,
    retry: false,
  })
  const use = useMutation({
    mutationFn: (password: string) => unwrap(api.POST('/api/v1/auth/password-link', { body: { token, password } })),
    onError: (error) => setProblem(applyProblemToForm(form, error)),
  })

  let body
  if (!token || owner.isError) {
    body = (
      <div data-testid="set-password-invalid">
      <Result
        status="warning"
        title="This link does not work"
        subTitle={owner.isError ? problemOf(owner.error).detail : 'The address has no set-password token in it.'}
        extra={<Link to="/login">Go to the login page</Link>}
      />
      </div>
    )
  } else if (owner.isPending) {
    body = <Skeleton active paragraph={{ rows: 4 }} />
  } else if (use.isSuccess) {
    body = (
      <div data-testid="set-password-done">
      <Result
        status="success"
        title="Your password is set"
        subTitle={`Log in as ${owner.data.username} with it.`}
        extra={
          <Link to="/login">
            <Button type="primary" data-testid="set-password-login">
              Log in
            </Button>
          </Link>
        }
      />
      </div>
    )
  } else {
    body = (
      <>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          Choose your password
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          For <Typography.Text strong>{owner.data.display_name || owner.data.username}</Typography.Text> (you log in as{' '}
          <Typography.Text code>{owner.data.username}</Typography.Text>). This link works once.
        </Typography.Paragraph>
        <Form form={form} layout="vertical" requiredMark={false} onFinish={({ password }) => use.mutate(password)}>
          <FormProblem state={problem} title="The password was not set" />
          <ChosenPasswordFields name="password" testIds={{ password: 'set-password-input', repeat: 'set-password-repeat' }} />
          <Button type="primary" htmlType="submit" block loading={use.isPending} data-testid="set-password-submit">
            Set password
          </Button>
        </Form>
      </>
    )
  }
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh', padding: 24, background: '#f0f2f5' }}>
      <Card style={{ width: '100%', maxWidth: 460 }} styles={{ body: { padding: 32 } }} data-testid="set-password-page">
        <Flex justify="center" style={{ marginBottom: 16 }}>
          <LogoMark size={40} />
        </Flex>
        {body}
        {!token && <Alert type="info" showIcon message="Open the link exactly as you received it." style={{ marginTop: 16 }} />}
      </Card>
    </Flex>
  )
}
