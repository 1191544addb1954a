import type { ReactElement } from 'react'
import { App, Button, Popconfirm } from 'antd'
import { CheckOutlined, DeleteOutlined, EditOutlined, HistoryOutlined, PauseCircleOutlined, PlayCircleOutlined, ThunderboltOutlined } from '@ant-design/icons'
import { useNavigate } from 'react-router'
import { WriteAction } from '../../components/WriteAction'
import { historyPath } from '../audit/format'
import { useFailure } from './feedback'
import { NEEDS_MONITORS_WRITE, needsAttention, runSummary } from './format'
import { MuteControl } from './MuteControl'
import { useAcknowledge, useDeleteMonitor, usePatchMonitor, useRunMonitor } from './queries'
import type { Monitor } from './types'

/** Run now, as a button; the result is announced and the page refreshes (the mutation invalidates it). */
export function RunNowButton({ monitor, allowed, type = 'primary' }: { monitor: Monitor; allowed: boolean; type?: 'primary' | 'default' }) {
  const { message } = App.useApp()
  const fail = useFailure()
  const run = useRunMonitor()
  return (
    <WriteAction allowed={allowed} reason={NEEDS_MONITORS_WRITE}>
      <Button
        type={type}
        icon={<ThunderboltOutlined />}
        loading={run.isPending}
        data-testid="run-now"
        onClick={() =>
          run
            .mutateAsync(monitor.id)
            .then((result) => {
              const content = <span data-testid="run-result">{runSummary(result)}</span>
              if (result.outcome === 'pass') void message.success(content)
              else if (result.outcome === 'fail') void message.warning(content)
              else void message.error(content, 6)
            })
            .catch((error: unknown) => fail(`Cannot run ${monitor.name}`, error))
        }
      >
        Run now
      </Button>
    </WriteAction>
  )
}

interface Props {
  monitor: Monitor
  canWrite: boolean
  canSeeHistory: boolean
}

/** The detail page's actions: run, edit, pause, mute, acknowledge, history, delete. */
export function MonitorActions({ monitor, canWrite, canSeeHistory }: Props) {
  const navigate = useNavigate()
  const { message } = App.useApp()
  const fail = useFailure()
  const patch = usePatchMonitor()
  const acknowledge = useAcknowledge()
  const remove = useDeleteMonitor()
  const gate = (node: ReactElement) => (
    <WriteAction allowed={canWrite} reason={NEEDS_MONITORS_WRITE}>
      {node}
    </WriteAction>
  )
  const history = historyPath('monitor', String(monitor.id))

  return (
    <>
      <RunNowButton monitor={monitor} allowed={canWrite} />
      {gate(
        <Button icon={<EditOutlined />} onClick={() => navigate(`/monitors/${monitor.id}/edit`)} data-testid="edit-monitor">
          Edit
        </Button>,
      )}
      {gate(
        <Button
          icon={monitor.enabled ? <PauseCircleOutlined /> : <PlayCircleOutlined />}
          loading={patch.isPending}
          data-testid="toggle-enabled"
          onClick={() =>
            patch
              .mutateAsync({ id: monitor.id, body: { enabled: !monitor.enabled } })
              .then(() => message.success(monitor.enabled ? `${monitor.name} disabled` : `${monitor.name} enabled`))
              .catch((error: unknown) => fail(`Cannot change ${monitor.name}`, error))
          }
        >
          {monitor.enabled ? 'Disable' : 'Enable'}
        </Button>,
      )}
      <MuteControl monitor={monitor} allowed={canWrite} />
      {needsAttention(monitor.state) &&
        !monitor.acknowledged_at &&
        gate(
          <Button
            icon={<CheckOutlined />}
            loading={acknowledge.isPending}
            data-testid="acknowledge"
            onClick={() =>
              acknowledge
                .mutateAsync(monitor.id)
                .then(() => message.success(`${monitor.name} acknowledged: reminders stop until the state changes`))
                .catch((error: unknown) => fail(`Cannot acknowledge ${monitor.name}`, error))
            }
          >
            Acknowledge
          </Button>,
        )}
      {canSeeHistory && (
        <Button
          icon={<HistoryOutlined />}
          href={history}
          onClick={(event) => {
            event.preventDefault()
            navigate(history)
          }}
          data-testid="monitor-history"
        >
          History
        </Button>
      )}
      {canWrite ? (
        <Popconfirm
          title={`Delete monitor ${monitor.name}?`}
          description="Its stored runs and alert timeline are deleted too."
          okText="Delete"
          okButtonProps={{ danger: true, 'data-testid': 'confirm-delete-monitor' }}
          onConfirm={() =>
            remove
              .mutateAsync(monitor.id)
              .then(() => {
                message.success(`Monitor ${monitor.name} deleted`)
                navigate('/monitors', { replace: true })
              })
              .catch((error: unknown) => fail(`Cannot delete ${monitor.name}`, error))
          }
        >
          <Button danger icon={<DeleteOutlined />} data-testid="delete-monitor">
            Delete
          </Button>
        </Popconfirm>
      ) : (
        gate(
          <Button danger icon={<DeleteOutlined />} data-testid="delete-monitor">
            Delete
          </Button>,
        )
      )}
    </>
  )
}
