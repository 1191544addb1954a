import { useState } from 'react'
import { App, Button, DatePicker, Dropdown, Modal, Typography } from 'antd'
import type { MenuProps } from 'antd'
import { DownOutlined, MutedOutlined, SoundOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import { WriteAction } from '../../components/WriteAction'
import { useFailure } from './feedback'
import { isMuted, mutePresets, NEEDS_MONITORS_WRITE } from './format'
import { useMute, useUnmute } from './queries'
import type { Monitor } from './types'
import { formatAbsolute } from '../../components/time'

interface Props {
  monitor: Pick<Monitor, 'id' | 'name' | 'muted_until'>
  allowed: boolean
  size?: 'small' | 'middle'
}

/** Mute (preset lengths, or a chosen time) or, while muted, unmute. Events are still recorded while muted. */
export function MuteControl({ monitor, allowed, size = 'middle' }: Props) {
  const { message } = App.useApp()
  const fail = useFailure()
  const mute = useMute()
  const unmute = useUnmute()
  const [choosing, setChoosing] = useState(false)
  const [custom, setCustom] = useState<Dayjs | null>(null)

  const muteUntil = (until: Dayjs) =>
    mute
      .mutateAsync({ id: monitor.id, until: until.toISOString() })
      .then(() => message.success(`${monitor.name} muted until ${formatAbsolute(until.toDate(), { seconds: false })}`))
      .catch((error: unknown) => fail(`Cannot mute ${monitor.name}`, error))

  if (isMuted(monitor)) {
    return (
      <WriteAction allowed={allowed} reason={NEEDS_MONITORS_WRITE}>
        <Button
          size={size}
          icon={<SoundOutlined />}
          loading={unmute.isPending}
          data-testid="unmute"
          onClick={() =>
            unmute
              .mutateAsync(monitor.id)
              .then(() => message.success(`${monitor.name} unmuted`))
              .catch((error: unknown) => fail(`Cannot unmute ${monitor.name}`, error))
          }
        >
          Unmute
        </Button>
      </WriteAction>
    )
  }

  const items: MenuProps['items'] = [
    ...mutePresets().map((preset) => ({ key: preset.key, label: <span data-testid={`mute-${preset.key}`}>{preset.label}</span> })),
    { type: 'divider' as const },
    { key: 'custom', label: <span data-testid="mute-custom">Until a time…</span> },
  ]
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'custom') {
      setCustom(dayjs().add(2, 'hour').startOf('hour'))
      setChoosing(true)
      return
    }
    // Presets count from the click, not from when the menu was drawn.
    const preset = mutePresets().find((p) => p.key === key)
    if (preset) void muteUntil(preset.until)
  }

  return (
    <>
      <WriteAction allowed={allowed} reason={NEEDS_MONITORS_WRITE}>
        <Dropdown menu={{ items, onClick }} trigger={['click']} disabled={!allowed}>
          <Button size={size} icon={<MutedOutlined />} loading={mute.isPending} data-testid="mute">
            Mute <DownOutlined />
          </Button>
        </Dropdown>
      </WriteAction>
      <Modal
        open={choosing}
        title={`Mute ${monitor.name}`}
        okText="Mute"
        okButtonProps={{ disabled: !custom || !custom.isAfter(dayjs()), 'data-testid': 'mute-custom-ok' }}
        onCancel={() => setChoosing(false)}
        onOk={() => {
          if (custom) void muteUntil(custom).then(() => setChoosing(false))
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          No notifications are sent until then; state changes are still recorded on the timeline.
        </Typography.Paragraph>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          value={custom}
          onChange={setCustom}
          disabledDate={(day) => day.isBefore(dayjs(), 'day')}
          style={{ width: '100%' }}
          aria-label="Mute until"
        />
      </Modal>
    </>
  )
}
