import { LineChartOutlined } from '@ant-design/icons'
import { Button, Empty, Flex, Input, Space, Spin } from 'antd'
import { useState } from 'react'
import { AnalysisReport } from './AnalysisReport'
import { MONO } from './format'
import { PatternHelp } from './PatternHelp'
import { CacheProblem } from './problems'
import { useAnalysis, type AnalysisRequest } from './queries'
import type { BigKey, InstanceSummary } from './types'

interface Props {
  instance: InstanceSummary
  onOpen: (key: BigKey) => void
}

/** What a sample of the keys holds: memory by type and folder, expiry, the biggest keys.
 * It reads thousands of keys, so it runs when asked, not on its own. */
export function AnalysisTab({ instance, onOpen }: Props) {
  const [pattern, setPattern] = useState('')
  const [delimiter, setDelimiter] = useState(':')
  const [request, setRequest] = useState<AnalysisRequest | null>(null)
  const analysis = useAnalysis({ service: instance.service, instanceId: instance.id }, request)
  const running = analysis.isFetching
  return (
    <Flex vertical gap={16} data-testid="analysis-tab">
      <form
        onSubmit={(event) => {
          event.preventDefault()
          setRequest({ pattern: pattern.trim(), delimiter: delimiter || ':', run: (request?.run ?? 0) + 1 })
        }}
      >
        <Flex gap={8} wrap align="center">
          <Input
            allowClear
            style={{ flex: '3 1 240px', fontFamily: MONO }}
            placeholder="Keys to analyse, e.g. order:*  (empty: every key)"
            aria-label="Pattern to analyse"
            value={pattern}
            onChange={(event) => setPattern(event.target.value)}
            suffix={<PatternHelp prefix={instance.key_prefix} />}
            data-testid="analysis-pattern"
          />
          <Space.Compact style={{ flex: '0 0 150px' }}>
            <Space.Addon>Delimiter</Space.Addon>
            <Input
              style={{ fontFamily: MONO }}
              maxLength={4}
              aria-label="Folder delimiter"
              value={delimiter}
              onChange={(event) => setDelimiter(event.target.value)}
              data-testid="analysis-delimiter"
            />
          </Space.Compact>
          <Button type="primary" htmlType="submit" icon={<LineChartOutlined />} loading={running} data-testid="analysis-run">
            Run analysis
          </Button>
        </Flex>
      </form>
      {analysis.isError ? (
        <CacheProblem error={analysis.error} title="Cannot analyse the keys" retry={analysis.refetch} />
      ) : request === null ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="Run an analysis to see memory by type and folder, how keys expire, and the biggest keys. It reads a sample of up to thousands of keys, which takes a second or two."
        />
      ) : !analysis.data ? (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin size="large" tip="Reading a sample of the keys…" data-testid="analysis-running">
            <div style={{ width: 200, height: 60 }} />
          </Spin>
        </Flex>
      ) : (
        <Spin spinning={running}>
          <AnalysisReport report={analysis.data} prefix={instance.key_prefix} onOpen={onOpen} />
        </Spin>
      )}
    </Flex>
  )
}
