/** The condition builder's choices, and the condition in words (as the backend words it). */
import type { Condition, MonitorType, Operator, ValueSource } from './model'

export const VALUE_SOURCES: Record<MonitorType, readonly { value: ValueSource; label: string }[]> = {
  sql: [
    { value: 'first_cell', label: 'First cell (first column of the first row)' },
    { value: 'row_count', label: 'Number of rows returned' },
    { value: 'column', label: 'A named column of the first row' },
  ],
  http: [
    { value: 'json_path', label: 'Value at a JSON path in the response' },
    { value: 'status_code', label: 'HTTP status code' },
  ],
}

export const OPERATORS: readonly { value: Operator; label: string }[] = [
  { value: '>', label: '> greater than' },
  { value: '>=', label: '≥ at least' },
  { value: '<', label: '< less than' },
  { value: '<=', label: '≤ at most' },
  { value: '==', label: '= equals' },
  { value: '!=', label: '≠ differs from' },
]

/** Text thresholds only make sense for equality; the others compare numbers. */
export function comparesText(operator: Operator): boolean {
  return operator === '==' || operator === '!='
}

/** The value source a monitor of `type` starts with, or keeps when it already fits. */
export function sourceFor(type: MonitorType, current?: ValueSource): ValueSource {
  const allowed = VALUE_SOURCES[type]
  return allowed.some((option) => option.value === current) ? (current as ValueSource) : allowed[0].value
}

function shown(threshold: Condition['threshold']): string {
  if (threshold === null || threshold === undefined) return '?'
  return typeof threshold === 'number' ? String(threshold) : `"${threshold}"`
}

/** "first cell > 0", "$.queue.depth >= 100, 3 times in a row", "any row returned". */
export function describeCondition(condition: Condition): string {
  let text: string
  if (condition.kind === 'any_rows') {
    text = 'any row returned'
  } else {
    const source: Record<ValueSource, string> = {
      first_cell: 'first cell',
      row_count: 'row count',
      column: `column ${condition.column || '?'}`,
      json_path: condition.json_path || '?',
      status_code: 'status code',
    }
    text = `${source[condition.value ?? 'first_cell']} ${condition.operator ?? '>'} ${shown(condition.threshold)}`
  }
  const consecutive = condition.consecutive ?? 1
  return consecutive > 1 ? `${text}, ${consecutive} times in a row` : text
}
