import { Alert, Descriptions, Flex, Tag, Typography } from 'antd'
import { formatLatency } from '../../catalog/connections/TestResultView'
import type { Outcome, PreviewResult } from './model'
import { stateColor } from '../format'
import { SampleView } from '../SampleTable'

const OUTCOMES: Record<Outcome, { color: string; label: string }> = {
  pass: { color: 'success', label: 'pass · clean' },
  fail: { color: 'error', label: 'fail · dirty data' },
  error: { color: 'warning', label: 'error · the check failed' },
}

/** One preview run: outcome, the state a new monitor would take, value, timing, error and sample. */
export function PreviewResultView({ result }: { result: PreviewResult }) {
  const outcome = OUTCOMES[result.outcome]
  const value = result.value_text ?? (result.value === null ? null : String(result.value))
  return (
    <Flex vertical gap={12} data-testid="preview-result" data-outcome={result.outcome}>
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          {
            key: 'outcome',
            label: 'Outcome',
            children: (
              <Tag color={outcome.color} data-testid="preview-outcome">
                {outcome.label}
              </Tag>
            ),
          },
          {
            key: 'state',
            label: 'State',
            children: (
              <span>
                <Tag color={stateColor(result.state)} data-testid="preview-state">
                  {result.state}
                </Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  as a new monitor after this run
                </Typography.Text>
              </span>
            ),
          },
          {
            key: 'value',
            label: 'Value',
            children: value === null ? <Typography.Text type="secondary">—</Typography.Text> : <Typography.Text code data-testid="preview-value">{value}</Typography.Text>,
          },
          { key: 'duration', label: 'Took', children: formatLatency(result.duration_ms) },
        ]}
      />
      {result.error && <Alert type="error" showIcon message="The check failed" description={result.error} data-testid="preview-error" />}
      {result.sample && (
        <div data-testid="preview-sample">
          <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
            Sample
          </Typography.Text>
          <SampleView result={result} />
        </div>
      )}
    </Flex>
  )
}
