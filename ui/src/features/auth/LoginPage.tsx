import { useEffect } from 'react'
import { Button, Card, Flex, Form, Input, Typography } from 'antd'
import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { Navigate, useNavigate, useSearchParams } from 'react-router'
import { LogoMark } from '../../app/Logo'
import { safeNext } from '../../app/safeNext'
import { ErrorAlert } from '../../components/ErrorAlert'
import { useLogin, useMe } from './queries'

interface Credentials {
  username: string
  password: string
}

export function LoginPage() {
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const navigate = useNavigate()
  const me = useMe()
  const login = useLogin()

  useEffect(() => {
    document.title = 'Log in · Gyrfalcon'
  }, [])

  if (me.data) return <Navigate to={next} replace />

  const onFinish = (values: Credentials) => {
    login.mutate(values, { onSuccess: () => navigate(next, { replace: true }) })
  }

  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh', padding: 24, background: '#f0f2f5' }}>
      <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: 32 } }} data-testid="login-card">
        <Flex vertical align="center" gap={8} style={{ marginBottom: 24 }}>
          <LogoMark size={44} />
          <Typography.Title level={2} style={{ margin: 0 }}>
            Gyrfalcon
          </Typography.Title>
          <Typography.Text type="secondary" style={{ textAlign: 'center' }}>
            Governance console for your business services
          </Typography.Text>
        </Flex>
        {login.isError && (
          <ErrorAlert
            error={login.error}
            title="Log in failed"
            testId="login-error"
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<Credentials> layout="vertical" requiredMark={false} onFinish={onFinish} data-testid="login-form" disabled={login.isPending}>
          <Form.Item label="Username" name="username" rules={[{ required: true, message: 'Enter your username' }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item label="Password" name="password" rules={[{ required: true, message: 'Enter your password' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={login.isPending} data-testid="login-submit">
            Log in
          </Button>
        </Form>
      </Card>
    </Flex>
  )
}
