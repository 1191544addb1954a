import { useMemo } from 'react'
import { Alert, Flex, List, Spin, Typography } from 'antd'
import { ClockCircleOutlined } from '@ant-design/icons'
import { problemOf } from '../../../api/errors'
import { useDebounced } from '../../../components/useDebounced'
import type { Schedule } from './model'
import { useNextRuns } from './queries'
import { browserTimeZone, describeSchedule, formatInZone } from './scheduleText'

interface Props {
  schedule: Schedule | null
  monitorId: number | null
}

/** The next five run times of the schedule as typed (asked for after a pause in typing). */
export function NextRuns({ schedule, monitorId }: Props) {
  // Debounced by value (a new object comes with every keystroke), parsed back once settled.
  const settledText = useDebounced(JSON.stringify(schedule), 400)
  const settled = useMemo(() => JSON.parse(settledText) as Schedule | null, [settledText])
  const runs = useNextRuns(settled, monitorId)
  const local = browserTimeZone()
  if (!settled) {
    return <Typography.Text type="secondary">Complete the schedule to see when it runs.</Typography.Text>
  }
  if (runs.isError) {
    const problem = problemOf(runs.error)
    const reason = problem.errors?.map((error) => error.message).join('; ') || problem.detail || problem.title
    return <Alert type="warning" showIcon message="This schedule does not run" description={reason} data-testid="next-runs-error" />
  }
  return (
    <div data-testid="next-runs">
      <Flex justify="space-between" align="baseline" gap={8} wrap style={{ marginBottom: 4 }}>
        <Typography.Text strong>
          <ClockCircleOutlined /> Next runs · {describeSchedule(settled)}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {runs.isFetching && <Spin size="small" style={{ marginInlineEnd: 6 }} />}
          your time ({local}) · UTC
        </Typography.Text>
      </Flex>
      <List
        size="small"
        bordered
        dataSource={runs.data?.next_runs ?? []}
        locale={{ emptyText: runs.isPending ? 'Working out the run times…' : 'No runs ahead' }}
        renderItem={(at) => (
          <List.Item data-testid="next-run">
            <Typography.Text>{formatInZone(at, local)}</Typography.Text>
            <Typography.Text type="secondary">{formatInZone(at, 'UTC')} UTC</Typography.Text>
          </List.Item>
        )}
      />
    </div>
  )
}
