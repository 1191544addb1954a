import { Alert, Card, Col, Empty, Flex, Row, Statistic, Table, Tag, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { MemoryByTypeChart, PrefixChart, TtlChart } from './AnalysisCharts'
import { BigKeysTable } from './BigKeysTable'
import { MONO, count, humanBytes } from './format'
import { PartialAlert } from './problems'
import type { Analysis, BigKey, Share } from './types'
import { useNarrow } from '../../components/useNarrow'

/** A folder's name after the instance's prefix (which every folder starts with). */
function folderName(name: string, prefix: string): string {
  return prefix && name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name
}

const statStyle = (narrow: boolean) => (narrow ? { fontSize: 20 } : undefined)

const prefixColumns = (prefix: string): TableColumnsType<Share> => [
  {
    title: 'Folder',
    key: 'name',
    render: (_: unknown, share) => (
      <span style={{ fontFamily: MONO, fontSize: 12, overflowWrap: 'anywhere' }} title={share.name}>
        {folderName(share.name, prefix)}
      </span>
    ),
  },
  { title: 'Keys', key: 'keys', align: 'right', render: (_: unknown, share) => count(share.keys) },
  { title: 'Memory', key: 'memory', align: 'right', render: (_: unknown, share) => <span style={{ whiteSpace: 'nowrap' }}>{humanBytes(share.memory)}</span> },
]

/** An analysis's figures: what was read, memory by type and folder, expiry, the biggest keys. */
export function AnalysisReport({ report, prefix, onOpen }: { report: Analysis; prefix: string; onOpen: (key: BigKey) => void }) {
  const narrow = useNarrow()
  const memory = report.by_type.reduce((sum, share) => sum + share.memory, 0)
  if (report.sampled === 0) {
    return (
      <Flex vertical gap={16}>
        <PartialAlert failures={report.failures} />
        <Empty description="No key matches: nothing to analyse." data-testid="analysis-empty" />
      </Flex>
    )
  }
  return (
    <Flex vertical gap={16} data-testid="analysis-report">
      <PartialAlert failures={report.failures} />
      <Card size="small">
        <Flex gap={narrow ? 16 : 32} wrap align="center">
          <Statistic title="Keys read" value={report.sampled} valueStyle={statStyle(narrow)} data-testid="analysis-sampled" />
          <Statistic title="Keys on the instance" value={report.keys_total} valueStyle={statStyle(narrow)} />
          <Statistic title="Memory of those read" value={humanBytes(memory)} valueStyle={statStyle(narrow)} />
          <div style={{ minWidth: 0 }}>
            {report.whole ? (
              <Tag color="green" data-testid="analysis-whole">
                the whole keyspace: exact figures
              </Tag>
            ) : (
              <Tag color="blue" data-testid="analysis-sample">
                a sample: figures are estimates
              </Tag>
            )}
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', maxWidth: 420 }}>
              {report.whole
                ? 'Every key matching the pattern was read.'
                : `${count(report.sampled)} of the matching keys were read (the instance holds ${count(report.keys_total)} in all, other services' included).`}
            </Typography.Paragraph>
          </div>
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title="Memory by type" style={{ height: '100%' }}>
            <MemoryByTypeChart shares={report.by_type} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="When keys expire" style={{ height: '100%' }}>
            <TtlChart buckets={report.ttl_buckets} />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title={`Top folders by memory (on “${report.delimiter}”)`} extra={prefix && !narrow ? <Typography.Text type="secondary">names after {prefix}</Typography.Text> : undefined}>
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={14}>
                <PrefixChart shares={report.prefixes} label={(name) => folderName(name, prefix)} narrow={narrow} />
              </Col>
              <Col xs={24} xl={10}>
                <Table<Share>
                  rowKey="name"
                  size="small"
                  columns={prefixColumns(prefix)}
                  dataSource={report.prefixes}
                  pagination={false}
                  data-testid="analysis-prefixes"
                />
              </Col>
            </Row>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title="Biggest keys">
            <BigKeysTable keys={report.biggest} prefix={prefix} onOpen={onOpen} testId="analysis-biggest" />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title="Keys without TTL" data-testid="analysis-without-ttl">
            <Flex gap={32} wrap style={{ marginBottom: 12 }}>
              <Statistic title="Keys" value={report.without_ttl.keys} valueStyle={statStyle(narrow)} suffix={<Typography.Text type="secondary" style={{ fontSize: 14 }}>of {count(report.sampled)}</Typography.Text>} />
              <Statistic title="Memory" value={humanBytes(report.without_ttl.memory)} valueStyle={statStyle(narrow)} />
            </Flex>
            {report.without_ttl.keys > 0 ? (
              <>
                <Typography.Paragraph type="secondary">They stay until deleted; the biggest of them:</Typography.Paragraph>
                <BigKeysTable keys={report.without_ttl_biggest} prefix={prefix} onOpen={onOpen} testId="analysis-without-ttl-biggest" />
              </>
            ) : (
              <Alert type="success" showIcon message="Every key read has a TTL." />
            )}
          </Card>
        </Col>
      </Row>
    </Flex>
  )
}
