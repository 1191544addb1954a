import { Space, Switch, Typography } from 'antd'
import { useState } from 'react'
import { REFRESH_MS } from './queries'

/** Whether a jobs page refreshes on its own; a switch pauses it (to read a busy table). */
export function useAutoRefresh() {
  const [on, setOn] = useState(true)
  const control = (
    <Space size={6}>
      <Switch size="small" checked={on} onChange={setOn} data-testid="jobs-auto-refresh" />
      <Typography.Text type="secondary">{on ? `Refreshing every ${REFRESH_MS / 1000} s` : 'Paused'}</Typography.Text>
    </Space>
  )
  return { on, control }
}
