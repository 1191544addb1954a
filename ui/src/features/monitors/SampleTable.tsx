import { Descriptions, Table, Tag, Typography, theme } from 'antd'
import { cellText, parseSample, prettyBody } from './sample'
import type { RunResult } from './types'

interface SampleRow {
  key: number
  cells: unknown[]
}

function TruncatedNote({ truncated, what }: { truncated: boolean; what: string }) {
  if (!truncated) return null
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 6 }} data-testid="sample-truncated">
      Truncated: only the first {what} were kept with this run.
    </Typography.Text>
  )
}

/** What a run saw: the first rows of an SQL result, or the status and body of an HTTP response. */
export function SampleView({ result }: { result: Pick<RunResult, 'sample' | 'error'> }) {
  const { token } = theme.useToken()
  const sample = parseSample(result.sample)
  if (!sample) {
    return (
      <Typography.Text type="secondary" data-testid="sample-none">
        {result.error ? 'No sample: the check did not get a result.' : 'No sample was kept for this run.'}
      </Typography.Text>
    )
  }
  if (sample.kind === 'sql') {
    const columns = sample.columns.map((title, index) => ({
      title,
      key: String(index),
      render: (_: unknown, row: SampleRow) => {
        const value = row.cells[index]
        return value === null || value === undefined ? (
          <Typography.Text type="secondary" italic>NULL</Typography.Text>
        ) : (
          <span style={{ fontFamily: token.fontFamilyCode, whiteSpace: 'pre-wrap' }}>{cellText(value)}</span>
        )
      },
    }))
    return (
      <div data-testid="sample-sql">
        <Table<SampleRow>
          size="small"
          bordered
          rowKey="key"
          columns={columns}
          dataSource={sample.rows.map((cells, key) => ({ key, cells }))}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: 'The query returned no rows.' }}
        />
        <TruncatedNote truncated={sample.truncated} what={`${sample.rows.length} rows`} />
      </div>
    )
  }
  return (
    <div data-testid="sample-http">
      <Descriptions
        size="small"
        column={2}
        style={{ marginBottom: 8 }}
        items={[
          { key: 'status', label: 'Status', children: <Tag color={sample.status < 400 ? 'green' : 'red'}>{sample.status}</Tag> },
          { key: 'type', label: 'Content type', children: sample.contentType || '—' },
        ]}
      />
      <pre
        style={{
          margin: 0,
          padding: 12,
          maxHeight: 320,
          overflow: 'auto',
          fontSize: 12,
          background: token.colorFillQuaternary,
          borderRadius: token.borderRadius,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {prettyBody(sample.body, sample.contentType) || '(empty body)'}
      </pre>
      <TruncatedNote truncated={sample.truncated} what="characters of the body" />
    </div>
  )
}
