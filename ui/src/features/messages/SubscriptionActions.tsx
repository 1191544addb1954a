import { App, Button, Flex } from 'antd'
import { DeleteOutlined, EditOutlined, PauseCircleOutlined, PlayCircleOutlined, SearchOutlined } from '@ant-design/icons'
import { Link } from 'react-router'
import { problemOf } from '../../api/errors'
import { WriteAction } from '../../components/WriteAction'
import { NEEDS_MESSAGES_WRITE, count, subscriptionPath } from './format'
import { useDeleteSubscription, useUpdateSubscription } from './queries'
import type { Subscription } from './types'

interface Props {
  subscription: Subscription
  canWrite: boolean
  onEdit: () => void
  /** After a delete (the detail page leaves). */
  onDeleted?: () => void
  /** A table row: small buttons, Browse included. */
  compact?: boolean
}

/** Browse, edit, pause or resume, and delete (asked first) one subscription. */
export function SubscriptionActions({ subscription, canWrite, onEdit, onDeleted, compact = false }: Props) {
  const { message, modal } = App.useApp()
  const update = useUpdateSubscription()
  const remove = useDeleteSubscription()
  const size = compact ? 'small' : 'middle'
  const id = subscription.id
  const label = `${subscription.service}/${subscription.name}`

  const toggle = () =>
    update.mutate(
      { id, body: { enabled: !subscription.enabled } },
      {
        onSuccess: () => message.success(subscription.enabled ? `${label} paused: its messages stay stored` : `${label} resumed: it goes on from where it stopped`),
        onError: (error) => message.error(problemOf(error).detail ?? 'Not done'),
      },
    )

  const confirmDelete = () =>
    modal.confirm({
      title: `Delete the subscription ${label}?`,
      content: `It stops consuming ${subscription.topic}, and its ${count(subscription.status.stored)} stored messages are purged. The topic itself is left alone.`,
      okText: 'Delete',
      okButtonProps: { danger: true, ...{ 'data-testid': 'subscription-delete-confirm' } },
      onOk: () =>
        remove.mutateAsync(id).then(
          () => {
            message.success(`${label} deleted`)
            onDeleted?.()
          },
          (error: unknown) => message.error(problemOf(error).detail ?? 'Not deleted'),
        ),
    })

  return (
    <Flex gap={compact ? 4 : 8} wrap={!compact} onClick={(event) => event.stopPropagation()}>
      {compact && (
        <Link to={subscriptionPath(id)} data-testid={`subscription-browse-${id}`}>
          <Button size={size} icon={<SearchOutlined />}>
            Browse
          </Button>
        </Link>
      )}
      <WriteAction allowed={canWrite} reason={NEEDS_MESSAGES_WRITE} testId={`subscription-edit-needs-write-${id}`}>
        <Button size={size} icon={<EditOutlined />} onClick={onEdit} data-testid={`subscription-edit-${id}`} aria-label={compact ? `Edit ${label}` : undefined} title={compact ? 'Edit' : undefined}>
          {compact ? null : 'Edit'}
        </Button>
      </WriteAction>
      <WriteAction allowed={canWrite} reason={NEEDS_MESSAGES_WRITE} testId={`subscription-toggle-needs-write-${id}`}>
        <Button
          size={size}
          icon={subscription.enabled ? <PauseCircleOutlined /> : <PlayCircleOutlined />}
          loading={update.isPending}
          onClick={toggle}
          data-testid={`subscription-toggle-${id}`}
          aria-label={compact ? (subscription.enabled ? `Pause ${label}` : `Resume ${label}`) : undefined}
          title={compact ? (subscription.enabled ? 'Pause' : 'Resume') : undefined}
        >
          {compact ? null : subscription.enabled ? 'Pause' : 'Resume'}
        </Button>
      </WriteAction>
      <WriteAction allowed={canWrite} reason={NEEDS_MESSAGES_WRITE} testId={`subscription-delete-needs-write-${id}`}>
        <Button
          size={size}
          danger
          icon={<DeleteOutlined />}
          onClick={confirmDelete}
          data-testid={`subscription-delete-${id}`}
          aria-label={compact ? `Delete ${label}` : undefined}
          title={compact ? 'Delete' : undefined}
        >
          {compact ? null : 'Delete'}
        </Button>
      </WriteAction>
    </Flex>
  )
}
