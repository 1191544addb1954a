import { useState } from 'react'
import { Button, Modal, Popconfirm } from 'antd'
import { LinkOutlined } from '@ant-design/icons'
import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '../../../api/client'
import { problemOf } from '../../../api/errors'
import { ErrorAlert } from '../../../components/ErrorAlert'
import { PasswordLinkView } from '../../account/passwordRules'

/** A new one-time set-password link for a local user (e.g. one who forgot theirs). */
export function PasswordLinkButton({ userId, username }: { userId: number; username: string }) {
  const [shown, setShown] = useState(false)
  const make = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/users/{user_id}/password-link', { params: { path: { user_id: userId } } })),
    onSettled: () => setShown(true),
  })
  return (
    <>
      <Popconfirm
        title={`Make a set-password link for ${username}?`}
        description="Any earlier link stops working. Their current password keeps working until they use it."
        okText="Make link"
        okButtonProps={{ 'data-testid': 'confirm-password-link' }}
        onConfirm={() => make.mutate()}
      >
        <Button icon={<LinkOutlined />} loading={make.isPending} data-testid="password-link-button">
          Set-password link
        </Button>
      </Popconfirm>
      <Modal
        open={shown}
        title={`Set-password link for ${username}`}
        onCancel={() => setShown(false)}
        onOk={() => setShown(false)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText="Done"
      >
        {make.data && <PasswordLinkView username={username} link={make.data} />}
        {make.isError && <ErrorAlert error={make.error} title={problemOf(make.error).title} />}
      </Modal>
    </>
  )
}
