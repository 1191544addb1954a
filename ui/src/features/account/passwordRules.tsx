import { Form, Input, Typography } from 'antd'
import { RelativeTime } from '../../components/Time'

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

/** A password its owner chooses (own change, set-password link): the policy, and the
 * same password again so a typo does not lock them out. */
export function ChosenPasswordFields({
  name = 'new_password',
  testIds,
}: {
  /** The API's field for the password, so its answers land on this field. */
  name?: string
  testIds: { password: string; repeat: string }
}) {
  return (
    <>
      <Form.Item
        name={name}
        label="New password"
        extra={PASSWORD_RULES}
        rules={[
          { required: true, message: 'Enter a new password' },
          { min: 12, message: 'Use at least 12 characters' },
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid={testIds.password} />
      </Form.Item>
      <Form.Item
        name="repeated"
        label="New password again"
        dependencies={[name]}
        rules={[
          { required: true, message: 'Enter the new password again' },
          ({ getFieldValue }) => ({
            validator: async (_rule, value: string | undefined) => {
              if (value && value !== getFieldValue(name)) throw new Error('The two passwords differ')
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid={testIds.repeat} />
      </Form.Item>
    </>
  )
}

/** A new set-password link, shown once: copy it and hand it to the user. */
export function PasswordLinkView({ username, link }: { username: string; link: { url: string; expires_at: string } }) {
  return (
    <div data-testid="password-link">
      <Typography.Paragraph>
        Send this link to <Typography.Text strong>{username}</Typography.Text> over a channel you trust. It works once and
        expires <RelativeTime at={link.expires_at} />; it is not shown again (make a new one from their page if it is lost).
      </Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: link.url }} code style={{ overflowWrap: 'anywhere' }} data-testid="password-link-url">
        {link.url}
      </Typography.Paragraph>
    </div>
  )
}
