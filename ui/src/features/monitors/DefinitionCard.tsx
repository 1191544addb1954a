import { Descriptions, Space, Tag, Typography, theme } from 'antd'
import { LinkOutlined } from '@ant-design/icons'
import { scheduleText } from './format'
import { RelativeTime } from '../../components/Time'
import type { Monitor } from './types'

function Dash() {
  return <Typography.Text type="secondary">—</Typography.Text>
}

/** The query or request the monitor runs, in a monospace block. */
function Check({ monitor }: { monitor: Monitor }) {
  const { token } = theme.useToken()
  const block = {
    margin: 0,
    padding: '8px 10px',
    maxHeight: 220,
    overflow: 'auto',
    fontSize: 12,
    fontFamily: token.fontFamilyCode,
    background: token.colorFillQuaternary,
    borderRadius: token.borderRadius,
    whiteSpace: 'pre-wrap' as const,
    wordBreak: 'break-word' as const,
  }
  if (monitor.type === 'sql') {
    return (
      <pre style={block} data-testid="monitor-query">
        {monitor.query}
      </pre>
    )
  }
  const http = monitor.http
  if (!http) return <Dash />
  const headers = [...Object.keys(http.headers), ...http.secret_headers.map((name) => `${name} (secret)`)]
  return (
    <div data-testid="monitor-request">
      <pre style={block}>
        <b>{http.method}</b> {http.path}
        {http.body ? `\n\n${http.body}` : ''}
      </pre>
      {headers.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          Headers: {headers.join(', ')}
        </Typography.Text>
      )}
    </div>
  )
}

function NotifyTargets({ notify }: { notify: Monitor['notify'] }) {
  const targets = [...notify.channels, ...notify.emails]
  if (targets.length === 0) return <Typography.Text type="warning">Nobody: no channel or address is set.</Typography.Text>
  return (
    <div>
      <Space size={[4, 4]} wrap>
        {notify.channels.map((name) => (
          <Tag key={`c-${name}`} color="blue" style={{ marginInlineEnd: 0 }}>
            {name}
          </Tag>
        ))}
        {notify.emails.map((email) => (
          <Tag key={`e-${email}`} style={{ marginInlineEnd: 0 }}>
            {email}
          </Tag>
        ))}
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>
        {notify.on_error ? 'Also when the check itself fails.' : 'Not when the check itself fails.'}
        {notify.renotify_minutes ? ` Reminders every ${notify.renotify_minutes} min while alerting.` : ''}
      </Typography.Text>
    </div>
  )
}

/** What the monitor checks, how often, when it alerts and whom. */
export function DefinitionCard({ monitor }: { monitor: Monitor }) {
  const consecutive = monitor.condition.consecutive ?? 1
  return (
    <Descriptions
      size="small"
      column={1}
      data-testid="monitor-definition"
      styles={{ label: { width: 110 } }}
      items={[
        {
          key: 'check',
          label: monitor.type === 'sql' ? 'SQL query' : 'HTTP request',
          children: (
            <div style={{ minWidth: 0, width: '100%' }}>
              {monitor.type === 'sql' && (
                <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 4 }}>
                  on datasource <Typography.Text code>{monitor.datasource ?? '?'}</Typography.Text>
                </Typography.Text>
              )}
              <Check monitor={monitor} />
            </div>
          ),
        },
        {
          key: 'condition',
          label: 'Alerts when',
          children: (
            <span>
              <Typography.Text code data-testid="monitor-condition">
                {monitor.condition_text}
              </Typography.Text>
              {consecutive > 1 && <Typography.Text type="secondary"> · {consecutive} runs in a row</Typography.Text>}
            </span>
          ),
        },
        {
          key: 'schedule',
          label: 'Schedule',
          children: (
            <span>
              {scheduleText(monitor.schedule)}
              {monitor.enabled && monitor.next_run_at && (
                <Typography.Text type="secondary">
                  {' '}
                  · next <RelativeTime at={monitor.next_run_at} />
                </Typography.Text>
              )}
            </span>
          ),
        },
        { key: 'timeout', label: 'Timeout', children: `${monitor.timeout_seconds} s` },
        { key: 'notify', label: 'Notifies', children: <NotifyTargets notify={monitor.notify} /> },
        {
          key: 'runbook',
          label: 'Runbook',
          children: monitor.runbook_url ? (
            <Typography.Link href={monitor.runbook_url} target="_blank" rel="noreferrer" ellipsis>
              <LinkOutlined /> {monitor.runbook_url}
            </Typography.Link>
          ) : (
            <Dash />
          ),
        },
        ...(monitor.description
          ? [{ key: 'description', label: 'Description', children: <span style={{ whiteSpace: 'pre-wrap' }}>{monitor.description}</span> }]
          : []),
      ]}
    />
  )
}
