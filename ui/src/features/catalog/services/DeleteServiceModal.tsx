import { useState } from 'react'
import { Alert, App, Input, List, Modal, Skeleton, Space, Tag, Typography } from 'antd'
import { useNavigate } from 'react-router'
import { $api } from '../../../api/client'
import { problemOf } from '../../../api/errors'
import { ErrorAlert } from '../../../components/ErrorAlert'
import { useDeleteService } from './queries'

interface Props {
  name: string
  open: boolean
  onClose: () => void
}

/**
 * Deleting a service deletes everything under it: the modal lists it all first, with
 * counts (from every module), and asks for the service's name, as GitHub does for a
 * repository.
 */
export function DeleteServiceModal({ name, open, onClose }: Props) {
  const navigate = useNavigate()
  const { message } = App.useApp()
  const [typed, setTyped] = useState('')
  const remove = useDeleteService()
  const deletion = $api.useQuery(
    'get',
    '/api/v1/services/{service}/deletion',
    { params: { path: { service: name } } },
    { enabled: open },
  )
  const close = () => {
    setTyped('')
    remove.reset()
    onClose()
  }
  const confirm = () =>
    remove.mutate(name, {
      onSuccess: () => {
        message.success(`Service ${name} deleted`)
        navigate('/catalog', { replace: true })
      },
    })
  const groups = deletion.data?.groups ?? []
  return (
    <Modal
      open={open}
      title={`Delete service ${name}?`}
      onCancel={close}
      onOk={confirm}
      okText="Delete service and everything listed"
      okButtonProps={{ danger: true, disabled: typed !== name || !deletion.isSuccess, 'data-testid': 'confirm-delete-service' }}
      confirmLoading={remove.isPending}
      width={560}
      destroyOnHidden
    >
      {deletion.isPending && <Skeleton active paragraph={{ rows: 3 }} />}
      {deletion.isError && <ErrorAlert error={deletion.error} title="Cannot list what would be deleted" />}
      {deletion.isSuccess && (
        <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="delete-service-contents">
          {groups.length === 0 ? (
            <Typography.Text>Nothing else is kept under this service.</Typography.Text>
          ) : (
            <>
              <Typography.Text>This also deletes, for good:</Typography.Text>
              <List
                size="small"
                bordered
                dataSource={groups}
                renderItem={(group) => (
                  <List.Item data-testid={`delete-group-${group.kind}`}>
                    <div style={{ minWidth: 0 }}>
                      <Space size={6}>
                        <Tag color="red" style={{ marginInlineEnd: 0 }}>
                          {group.count}
                        </Tag>
                        <Typography.Text strong>{group.label}</Typography.Text>
                        {group.detail && <Typography.Text type="secondary">{group.detail}</Typography.Text>}
                      </Space>
                      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', overflowWrap: 'anywhere' }}>
                        {group.names.join(', ')}
                        {group.count > group.names.length ? ` and ${group.count - group.names.length} more` : ''}
                      </Typography.Paragraph>
                    </div>
                  </List.Item>
                )}
              />
            </>
          )}
          <Typography.Text type="secondary">Each object removed gets its own audit record.</Typography.Text>
          <div>
            <Typography.Text>
              Type <Typography.Text code>{name}</Typography.Text> to confirm:
            </Typography.Text>
            <Input
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              aria-label="Service name to confirm"
              autoComplete="off"
              style={{ marginTop: 6 }}
              data-testid="delete-service-name"
            />
          </div>
          {remove.isError && (
            <Alert type="error" showIcon message={problemOf(remove.error).detail ?? problemOf(remove.error).title} data-testid="delete-service-error" />
          )}
        </Space>
      )}
    </Modal>
  )
}
