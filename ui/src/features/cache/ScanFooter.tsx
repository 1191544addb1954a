import { Button, Flex, Select, Space, Spin, Typography } from 'antd'
import { useState } from 'react'
import { count, keysCount } from './format'
import type { ScanEnd, ScanGoal } from './scanLoop'
import type { SearchResult } from './useKeySearch'

const MATCH_GOALS = [100, 500, 1000, 5000]
const TIME_GOALS = [10, 30, 60]

const STOPPED: Record<string, string> = {
  limit: 'the page is full',
  keys: 'this page examined its budget of keys',
  time: 'this page spent its time budget',
}

const ENDED: Record<ScanEnd, string> = {
  goal: 'found the matches asked for',
  time: 'its time is up',
  complete: 'the scan is complete',
  stopped: 'stopped',
}

interface Props {
  result: SearchResult
  onNextPage: () => void
  onKeepScanning: (goal: ScanGoal) => void
  onStop: () => void
}

/** Under the keys: how much of the keyspace was looked at, and how to look further. */
export function ScanFooter({ result, onNextPage, onKeepScanning, onStop }: Props) {
  const [matches, setMatches] = useState(100)
  const [seconds, setSeconds] = useState(10)
  const { last, cursor, activity, scanned } = result
  if (!last) return null
  const scanning = activity === 'scanning'
  return (
    <Flex
      justify="space-between"
      align="center"
      gap={8}
      wrap
      data-testid="scan-footer"
    >
      <Typography.Text type="secondary" data-testid="scan-summary">
        {last.exact
          ? `Looked up ${last.pattern} directly: ${last.items.length ? 'found' : 'no such key'}`
          : `${keysCount(result.keys.length)} · examined ~${count(result.examined)} keys`}
        {!last.exact && (cursor === null ? ' · the scan is complete' : last.stopped && !scanning ? ` · ${STOPPED[last.stopped]}` : '')}
        {result.vanished > 0 && ` · ${count(result.vanished)} expired or went while being read`}
        {scanned?.end && ` · kept scanning: ${count(scanned.found)} more found, ${ENDED[scanned.end]}`}
      </Typography.Text>
      {cursor !== null &&
        (scanning ? (
          <Space wrap data-testid="scan-progress">
            <Spin size="small" />
            <Typography.Text>
              Scanning… examined ~{count(scanned?.examined ?? 0)} more keys, {count(scanned?.found ?? 0)} found
            </Typography.Text>
            <Button danger onClick={onStop} data-testid="scan-stop">
              Stop
            </Button>
          </Space>
        ) : (
          <Flex gap={8} wrap align="center">
            <Button onClick={onNextPage} loading={activity === 'next'} data-testid="scan-next">
              Next page
            </Button>
            <Space.Compact>
              <Button type="primary" ghost onClick={() => onKeepScanning({ matches, seconds })} disabled={activity !== null} data-testid="scan-keep">
                Keep scanning
              </Button>
              <Select
                value={matches}
                onChange={setMatches}
                aria-label="Until this many more matches"
                options={MATCH_GOALS.map((value) => ({ value, label: `until ${count(value)} more` }))}
                popupMatchSelectWidth={false}
                data-testid="scan-goal-matches"
              />
              <Select
                value={seconds}
                onChange={setSeconds}
                aria-label="Or this many seconds"
                options={TIME_GOALS.map((value) => ({ value, label: `or ${value} s` }))}
                popupMatchSelectWidth={false}
                data-testid="scan-goal-seconds"
              />
            </Space.Compact>
          </Flex>
        ))}
    </Flex>
  )
}
