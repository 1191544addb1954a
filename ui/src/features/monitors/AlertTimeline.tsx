import { useState } from 'react'
import { Button, Empty, Flex, Skeleton, Space, Tag, Timeline, Tooltip, Typography, theme } from 'antd'
import { ArrowRightOutlined, CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons'
import { durationText, eventColor, notificationColor, timelineColor } from './format'
import { useMonitorEvents } from './queries'
import { StateBadge } from './StateBadge'
import { AbsoluteTime, RelativeTime } from '../../components/Time'
import type { DeliveryAttempt, MonitorEvent, Notification } from './types'
import { QueryError } from '../../components/QueryError'

const STEP = 20
const MAX = 500

function Attempt({ attempt }: { attempt: DeliveryAttempt }) {
  return (
    <Flex gap={8} align="baseline" style={{ fontSize: 12 }} data-testid="delivery-attempt" data-ok={attempt.ok}>
      {attempt.ok ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#f5222d' }} />}
      <span style={{ flex: 'none' }}>
        <AbsoluteTime at={attempt.at} />
      </span>
      <Typography.Text type={attempt.ok ? undefined : 'danger'} style={{ fontSize: 12, wordBreak: 'break-word' }}>
        {attempt.message}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>
        {durationText(attempt.duration_ms)}
      </Typography.Text>
    </Flex>
  )
}

/** One notification of an event: where it went, whether it arrived, and every try to deliver it. */
function Delivery({ notification }: { notification: Notification }) {
  const { token } = theme.useToken()
  return (
    <div
      data-testid="notification"
      data-status={notification.status}
      style={{ padding: '6px 10px', background: token.colorFillQuaternary, borderRadius: token.borderRadius, marginTop: 6 }}
    >
      <Flex gap={8} align="center" wrap>
        <Typography.Text strong>{notification.channel}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {notification.channel_type}
        </Typography.Text>
        <Tag color={notificationColor(notification.status)} style={{ marginInlineEnd: 0 }} data-testid="notification-status">
          {notification.status}
        </Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {notification.attempts} attempt{notification.attempts === 1 ? '' : 's'}
          {notification.status === 'sent' && notification.sent_at && <> · sent <RelativeTime at={notification.sent_at} /></>}
          {notification.status === 'pending' && notification.next_attempt_at && (
            <> · next try <RelativeTime at={notification.next_attempt_at} />, gives up <RelativeTime at={notification.deadline} /></>
          )}
        </Typography.Text>
      </Flex>
      {notification.attempt_log.length > 0 && (
        <div style={{ marginTop: 4 }}>
          {notification.attempt_log.map((attempt, index) => (
            <Attempt key={index} attempt={attempt} />
          ))}
        </div>
      )}
    </div>
  )
}

function EventItem({ event }: { event: MonitorEvent }) {
  return (
    <div data-testid="timeline-event" data-kind={event.kind}>
      <Flex gap={8} align="center" wrap>
        <Tag color={eventColor(event.kind)} style={{ marginInlineEnd: 0, fontWeight: 600 }}>
          {event.kind}
        </Tag>
        {event.from_state && event.to_state && event.from_state !== event.to_state && (
          <Space size={4}>
            <StateBadge state={event.from_state} />
            <ArrowRightOutlined style={{ fontSize: 10, color: '#8c8c8c' }} />
            <StateBadge state={event.to_state} />
          </Space>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <AbsoluteTime at={event.at} />
          {event.actor && <> · by {event.actor}</>}
        </Typography.Text>
      </Flex>
      {event.message && <div style={{ marginTop: 4, whiteSpace: 'pre-wrap' }}>{event.message}</div>}
      {event.value_text && !event.message.includes(event.value_text) && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          Value: <Typography.Text code>{event.value_text}</Typography.Text>
        </Typography.Text>
      )}
      {event.notifications.map((notification) => (
        <Delivery key={notification.id} notification={notification} />
      ))}
    </div>
  )
}

/** State changes, reminders, mutes and acknowledgements, newest first, with their deliveries. */
export function AlertTimeline({ monitorId }: { monitorId: number }) {
  const [limit, setLimit] = useState(STEP)
  const events = useMonitorEvents(monitorId, limit)
  if (events.isError) {
    return <QueryError query={events} title="Cannot load the timeline" />
  }
  if (events.isPending) return <Skeleton active paragraph={{ rows: 4 }} />
  const items = events.data.items
  if (items.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Nothing happened yet: no state change, mute or acknowledgement." />
  }
  return (
    <div data-testid="alert-timeline">
      <Timeline
        style={{ marginTop: 8 }}
        items={items.map((event) => ({ key: event.id, color: timelineColor(event.kind), children: <EventItem event={event} /> }))}
      />
      {events.data.total > items.length && limit < MAX && (
        <Tooltip title={`${events.data.total - items.length} older events`}>
          <Button size="small" onClick={() => setLimit((l) => Math.min(MAX, l + STEP * 5))} loading={events.isFetching}>
            Show older events
          </Button>
        </Tooltip>
      )}
    </div>
  )
}
