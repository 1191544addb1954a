import { Button, Card, Empty, Tag, Typography } from 'antd'
import { PlayCircleOutlined } from '@ant-design/icons'
import { FormProblem, type FormProblemState } from '../../../components/FormProblem'
import type { PreviewResult } from './model'
import { PreviewResultView } from './PreviewResultView'

interface Props {
  result: PreviewResult | null
  problem: FormProblemState | null
  /** The form changed since the result was taken. */
  stale: boolean
  running: boolean
  /** Preview needs the write permission (it runs the query like a saved monitor). */
  allowed: boolean
  onRun: () => void
}

/** "Preview": one run of the definition as it stands, before saving; nothing is stored or sent. */
export function PreviewPanel({ result, problem, stale, running, allowed, onRun }: Props) {
  return (
    <Card
      size="small"
      title="Preview"
      data-testid="preview-panel"
      extra={
        <Button type="primary" ghost icon={<PlayCircleOutlined />} loading={running} disabled={!allowed} onClick={onRun} data-testid="monitor-preview">
          {result ? 'Run again' : 'Run preview'}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        Runs the check once as written, evaluates the condition and shows the sample. Nothing is stored and nobody is notified.
      </Typography.Paragraph>
      <FormProblem state={problem} title="The preview could not run" />
      {result ? (
        <>
          {stale && (
            <Tag color="warning" style={{ marginBottom: 8 }} data-testid="preview-stale">
              The form changed since this run
            </Tag>
          )}
          <PreviewResultView result={result} />
        </>
      ) : (
        !problem && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No preview yet" style={{ margin: '8px 0' }} />
      )}
    </Card>
  )
}
