import { Checkbox, Flex, Select, Table, Typography } from 'antd'
import type { TableColumnsType } from 'antd'
import type { GrantScope } from '../../../api/types'
import { ANY, actionLabel, setCell, type GrantCell, type GrantMatrix, type MatrixRow } from './grantMatrix'

interface Props {
  rows: MatrixRow[]
  value?: GrantMatrix
  onChange?: (next: GrantMatrix) => void
  disabled?: boolean
  teamNames: string[]
  serviceNames: string[]
}

const SCOPES: { value: GrantScope; label: string }[] = [
  { value: 'all', label: 'All services' },
  { value: 'teams', label: 'Teams…' },
  { value: 'services', label: 'Services…' },
]

interface CellProps {
  row: MatrixRow
  action: string
  cell: GrantCell | undefined
  disabled: boolean
  teamNames: string[]
  serviceNames: string[]
  onCell: (cell: GrantCell | null) => void
}

function CellEditor({ row, action, cell, disabled, teamNames, serviceNames, onCell }: CellProps) {
  const id = `${row.module}-${action}`
  const label = `${row.module === ANY ? 'All modules' : row.title}: ${actionLabel(action).toLowerCase()}`
  const choices = cell?.scope === 'teams' ? teamNames : serviceNames
  return (
    <Flex vertical gap={4} style={{ minWidth: 0 }}>
      <Checkbox
        checked={Boolean(cell)}
        disabled={disabled}
        onChange={(event) => onCell(event.target.checked ? { scope: 'all', targets: [] } : null)}
        data-testid={`grant-${id}`}
        aria-label={label}
      >
        {actionLabel(action)}
      </Checkbox>
      {cell && (
        <Select<GrantScope>
          size="small"
          value={cell.scope}
          disabled={disabled}
          options={SCOPES}
          onChange={(scope) => onCell({ scope, targets: scope === 'all' ? [] : scope === cell.scope ? cell.targets : [] })}
          aria-label={`Scope of ${label}`}
          data-testid={`grant-scope-${id}`}
          style={{ width: '100%', maxWidth: 200 }}
        />
      )}
      {cell && cell.scope !== 'all' && (
        <Select<string[]>
          size="small"
          mode="tags"
          value={cell.targets}
          disabled={disabled}
          status={cell.targets.length === 0 ? 'warning' : undefined}
          placeholder={cell.scope === 'teams' ? 'Team names' : 'Service names'}
          options={[...new Set([...choices, ...cell.targets])].map((name) => ({ value: name, label: name }))}
          onChange={(targets) => onCell({ scope: cell.scope, targets })}
          aria-label={`${cell.scope === 'teams' ? 'Teams' : 'Services'} for ${label}`}
          data-testid={`grant-targets-${id}`}
          style={{ width: '100%', maxWidth: 200 }}
        />
      )}
    </Flex>
  )
}

/**
 * The grants of a role as a module × action matrix: tick a cell to grant the action,
 * then pick how far it reaches (every service, some teams' services, some services).
 */
export function GrantMatrixEditor({ rows, value = {}, onChange, disabled = false, teamNames, serviceNames }: Props) {
  const cellFor = (row: MatrixRow, action: string) => (
    <CellEditor
      key={action}
      row={row}
      action={action}
      cell={value[row.module]?.[action]}
      disabled={disabled}
      teamNames={teamNames}
      serviceNames={serviceNames}
      onCell={(cell) => onChange?.(setCell(value, row.module, action, cell))}
    />
  )
  const base = (action: string) => (_: unknown, row: MatrixRow) =>
    row.actions.includes(action) ? cellFor(row, action) : <Typography.Text type="secondary">—</Typography.Text>

  const columns: TableColumnsType<MatrixRow> = [
    {
      title: 'Module',
      key: 'module',
      width: 170,
      render: (_: unknown, row) =>
        row.module === ANY ? (
          <div>
            <Typography.Text strong>All modules</Typography.Text> <Typography.Text code>*</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
              Today’s and future modules
            </Typography.Paragraph>
          </div>
        ) : (
          <Typography.Text strong>{row.title}</Typography.Text>
        ),
    },
    { title: 'Read', key: 'read', width: 200, render: base('read') },
    { title: 'Write', key: 'write', width: 200, render: base('write') },
    {
      title: 'Other actions',
      key: 'other',
      render: (_: unknown, row) => (
        <Flex vertical gap={8}>
          {row.actions.filter((a) => a !== 'read' && a !== 'write').map((action) => cellFor(row, action))}
        </Flex>
      ),
    },
  ]

  return (
    <Table<MatrixRow>
      rowKey="module"
      size="small"
      bordered
      pagination={false}
      columns={columns}
      dataSource={rows}
      data-testid="grant-matrix"
      scroll={{ x: 760 }}
    />
  )
}
