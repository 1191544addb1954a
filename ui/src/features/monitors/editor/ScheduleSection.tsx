import { useMemo } from 'react'
import { Button, Card, Col, Flex, Form, Input, InputNumber, Radio, Row, Select, Space, Tooltip } from 'antd'
import { scheduleOf, type MonitorFormValues } from './formValues'
import { MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from './model'
import { NextRuns } from './NextRuns'
import { CRON_EXAMPLES, INTERVAL_PRESETS, intervalSeconds, splitSeconds, timeZones, type IntervalUnit } from './scheduleText'

const UNITS: { value: IntervalUnit; label: string }[] = [
  { value: 'seconds', label: 'seconds' },
  { value: 'minutes', label: 'minutes' },
  { value: 'hours', label: 'hours' },
]

function IntervalFields() {
  const form = Form.useFormInstance<MonitorFormValues>()
  const applyPreset = (seconds: number) => {
    const { every, unit } = splitSeconds(seconds)
    form.setFieldValue(['schedule', 'every'], every)
    form.setFieldValue(['schedule', 'unit'], unit)
    void form.validateFields([['schedule', 'every']])
  }
  return (
    // The noStyle inputs' errors show under this item.
    <Form.Item label="Run every" required>
      <Flex gap={12} wrap align="flex-start">
        <Space.Compact>
          <Form.Item
            name={['schedule', 'every']}
            noStyle
            dependencies={[['schedule', 'unit']]}
            rules={[
              { required: true, message: 'How often should it run?' },
              ({ getFieldValue }) => ({
                validator: (_, every: number | null) => {
                  const seconds = intervalSeconds(every, getFieldValue(['schedule', 'unit']) as IntervalUnit)
                  if (seconds === null) return Promise.resolve()
                  if (seconds < MIN_INTERVAL_SECONDS) return Promise.reject(new Error(`At least every ${MIN_INTERVAL_SECONDS} seconds`))
                  if (seconds > MAX_INTERVAL_SECONDS) return Promise.reject(new Error('At most every 7 days'))
                  return Promise.resolve()
                },
              }),
            ]}
          >
            <InputNumber min={1} style={{ width: 110 }} aria-label="Interval" data-testid="schedule-every" />
          </Form.Item>
          <Form.Item name={['schedule', 'unit']} noStyle>
            <Select options={UNITS} style={{ width: 110 }} aria-label="Interval unit" data-testid="schedule-unit" />
          </Form.Item>
        </Space.Compact>
        <Space size={4} wrap>
          {INTERVAL_PRESETS.map((preset) => (
            <Button key={preset.seconds} size="small" onClick={() => applyPreset(preset.seconds)} data-testid={`schedule-preset-${preset.seconds}`}>
              {preset.label}
            </Button>
          ))}
        </Space>
      </Flex>
    </Form.Item>
  )
}

function CronFields() {
  const form = Form.useFormInstance<MonitorFormValues>()
  const zones = useMemo(() => timeZones().map((zone) => ({ value: zone, label: zone })), [])
  const applyExample = (cron: string) => {
    form.setFieldValue(['schedule', 'cron'], cron)
    void form.validateFields([['schedule', 'cron']])
  }
  return (
    <Row gutter={12}>
      <Col xs={24} md={12}>
        <Form.Item
          label="Cron expression"
          name={['schedule', 'cron']}
          rules={[{ required: true, whitespace: true, message: 'Five fields: minute hour day month weekday' }]}
          extra="Five fields: minute hour day-of-month month day-of-week."
        >
          <Input placeholder="*/15 * * * *" style={{ fontFamily: 'monospace' }} data-testid="schedule-cron" />
        </Form.Item>
        <Space size={4} wrap style={{ marginTop: -12, marginBottom: 16 }}>
          {CRON_EXAMPLES.map((example) => (
            <Tooltip key={example.cron} title={example.label}>
              <Button size="small" onClick={() => applyExample(example.cron)} style={{ fontFamily: 'monospace' }}>
                {example.cron}
              </Button>
            </Tooltip>
          ))}
        </Space>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item label="Time zone" name={['schedule', 'timezone']} extra="The cron fields are read in this zone (daylight saving included).">
          <Select showSearch options={zones} data-testid="schedule-timezone" />
        </Form.Item>
      </Col>
    </Row>
  )
}

/** Every N seconds/minutes/hours, or cron in a time zone, with the next run times. */
export function ScheduleSection({ monitorId }: { monitorId: number | null }) {
  const form = Form.useFormInstance<MonitorFormValues>()
  const values = Form.useWatch('schedule', { form, preserve: true })
  const mode = values?.mode ?? 'interval'
  return (
    <Card title="Schedule" size="small" data-testid="section-schedule">
      <Form.Item name={['schedule', 'mode']}>
        <Radio.Group optionType="button" buttonStyle="solid" data-testid="schedule-mode">
          <Radio.Button value="interval">Interval</Radio.Button>
          <Radio.Button value="cron">Cron</Radio.Button>
        </Radio.Group>
      </Form.Item>
      {mode === 'cron' ? <CronFields /> : <IntervalFields />}
      <NextRuns schedule={scheduleOf(values)} monitorId={monitorId} />
    </Card>
  )
}
