import { Form, Input } from 'antd'

/** The password policy in words (the server's is GYRFALCON_PASSWORD_MIN_LENGTH, 12 by default). */
export const PASSWORD_RULES = 'At least 12 characters, not the username, not a common password.'

/** A password an admin gives someone (a new account's, or a reset): the policy, and how
 * the user changes it afterwards. */
export function GivenPasswordField({ label, testId }: { label: string; testId: string }) {
  return (
    <Form.Item
      name="password"
      label={label}
      extra={`${PASSWORD_RULES} Pass it on safely; the user can change it on their Password page.`}
      rules={[{ required: true, message: `Enter the ${label.toLowerCase()}` }]}
    >
      <Input.Password autoComplete="new-password" data-testid={testId} />
    </Form.Item>
  )
}
