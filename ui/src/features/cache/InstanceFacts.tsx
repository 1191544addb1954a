import { Alert, Descriptions, Flex, Tag, Typography } from 'antd'
import { Link } from 'react-router'
import { RelativeTime } from '../../components/Time'
import { MONO } from './format'
import type { InstanceSummary } from './types'

const MODE_COLORS: Record<string, string> = { standalone: 'default', cluster: 'geekblue', sentinel: 'purple' }

export function ModeTag({ mode }: { mode: string }) {
  return (
    <Tag color={MODE_COLORS[mode] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="instance-mode">
      {mode}
    </Tag>
  )
}

export function ReadOnlyTag() {
  return (
    <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="instance-read-only">
      read-only
    </Tag>
  )
}

/** The last connection test, as the catalog's scheduled tests keep it. */
export function LastTest({ instance }: { instance: Pick<InstanceSummary, 'tested_at' | 'test_ok' | 'test_message'> }) {
  if (instance.test_ok === null) return <Typography.Text type="secondary">never tested</Typography.Text>
  return (
    <Flex gap={6} align="center" wrap>
      <Tag color={instance.test_ok ? 'green' : 'volcano'} style={{ marginInlineEnd: 0 }}>
        {instance.test_ok ? 'answered' : 'failed'}
      </Tag>
      <RelativeTime at={instance.tested_at} />
    </Flex>
  )
}

/** Where the instance is and how the console treats it: URL, mode, prefix, read-only, last test. */
export function InstanceFacts({ instance }: { instance: InstanceSummary }) {
  return (
    <Flex vertical gap={12}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 4 }}
        data-testid="instance-facts"
        items={[
          {
            key: 'url',
            label: 'URL',
            children: (
              <Typography.Text copyable style={{ fontFamily: MONO, fontSize: 12, overflowWrap: 'anywhere' }} data-testid="instance-url">
                {instance.url}
              </Typography.Text>
            ),
          },
          {
            key: 'mode',
            label: 'Mode',
            children: (
              <Flex gap={6} wrap>
                <ModeTag mode={instance.mode} />
                {instance.read_only && <ReadOnlyTag />}
              </Flex>
            ),
          },
          {
            key: 'prefix',
            label: 'Key prefix',
            children: instance.key_prefix ? (
              <Typography.Text code data-testid="instance-prefix">
                {instance.key_prefix}
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary">none: the whole database</Typography.Text>
            ),
          },
          { key: 'test', label: 'Last test', children: <LastTest instance={instance} /> },
        ]}
      />
      {instance.read_only && (
        <Alert
          type="info"
          showIcon
          banner
          message="Read-only in the catalog: keys and values can be read here, nothing can be changed or deleted."
          data-testid="instance-read-only-note"
        />
      )}
      {instance.test_ok === false && (
        <Alert
          type="error"
          showIcon
          message="The last connection test failed"
          description={
            <>
              <div style={{ overflowWrap: 'anywhere' }}>{instance.test_message ?? 'No reason was recorded.'}</div>
              <Link to={`/catalog/services/${encodeURIComponent(instance.service)}?tab=redis`}>Test it again on the service's page</Link>
            </>
          }
          data-testid="instance-test-failed"
        />
      )}
    </Flex>
  )
}
