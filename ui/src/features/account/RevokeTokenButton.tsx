import { App, Button, Popconfirm } from 'antd'
import { DeleteOutlined } from '@ant-design/icons'
import { problemOf } from '../../api/errors'

interface Props {
  token: { id: number; name: string }
  revoke: (id: number) => Promise<unknown>
  /** Test ids: `<testId>-<token name>` for the button, `confirmTestId` for the confirmation. */
  testId: string
  confirmTestId: string
}

/** Revoke with a confirmation, for one's own tokens and (for admins) another user's. */
export function RevokeTokenButton({ token, revoke, testId, confirmTestId }: Props) {
  const { message } = App.useApp()
  return (
    <Popconfirm
      title={`Revoke “${token.name}”?`}
      description="Scripts using it stop working at once."
      okText="Revoke"
      okButtonProps={{ danger: true, 'data-testid': confirmTestId }}
      onConfirm={() =>
        revoke(token.id)
          .then(() => message.success(`Token ${token.name} revoked`))
          .catch((error: unknown) => {
            const problem = problemOf(error)
            message.error(problem.detail ?? problem.title)
          })
      }
    >
      <Button size="small" danger icon={<DeleteOutlined />} data-testid={`${testId}-${token.name}`}>
        Revoke
      </Button>
    </Popconfirm>
  )
}
