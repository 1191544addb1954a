import { Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import { useNarrow } from '../../components/useNarrow'
import { LastRun } from './LastRun'
import { MethodPath } from './MethodPath'
import type { EndpointStatus } from './types'

const lastRun = (endpoint: EndpointStatus) => <LastRun run={endpoint.last_run} testId={`debug-endpoint-status-${endpoint.id}`} />

/** A phone folds the last run under the endpoint: two columns would squeeze both. */
function columnsFor(narrow: boolean): TableColumnsType<EndpointStatus> {
  const endpointColumn: TableColumnsType<EndpointStatus>[number] = {
    title: 'Endpoint',
    key: 'name',
    render: (_: unknown, endpoint) => (
      <>
        <Typography.Text strong>{endpoint.name}</Typography.Text>
        <div>
          <MethodPath method={endpoint.method} path={endpoint.path} />
        </div>
        {narrow && <div style={{ marginTop: 4 }}>{lastRun(endpoint)}</div>}
      </>
    ),
  }
  return narrow ? [endpointColumn] : [endpointColumn, { title: 'Last run', key: 'last_run', render: (_: unknown, endpoint) => lastRun(endpoint) }]
}

interface Props {
  endpoints: EndpointStatus[]
  loading: boolean
  selectedId: number | null
  onSelect: (endpointId: number) => void
}

/** The service's debug endpoints with their last run; a click picks one to run. */
export function EndpointList({ endpoints, loading, selectedId, onSelect }: Props) {
  const narrow = useNarrow()
  return (
    <Table<EndpointStatus>
      rowKey="id"
      size="small"
      columns={columnsFor(narrow)}
      dataSource={endpoints}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="debug-endpoints"
      onRow={(endpoint) => ({
        onClick: () => onSelect(endpoint.id),
        style: { cursor: 'pointer', ...(endpoint.id === selectedId ? { background: '#e6f4ff' } : {}) },
        'data-testid': `debug-endpoint-${endpoint.id}`,
        'aria-selected': endpoint.id === selectedId,
      })}
    />
  )
}
