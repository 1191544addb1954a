import { useState, type CSSProperties, type ReactNode } from 'react'
import { Button, Flex, Typography } from 'antd'
import { prettyJson } from './format'

const COLORS = { string: '#389e0d', number: '#1d39c4', boolean: '#531dab', null: '#8c8c8c', key: '#262626' }

const treeStyle: CSSProperties = {
  margin: 0,
  padding: 12,
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 6,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
  fontSize: 12,
  lineHeight: 1.7,
  overflowX: 'auto',
  maxHeight: '60vh',
  overflowY: 'auto',
}

function Scalar({ value }: { value: unknown }) {
  const kind = value === null ? 'null' : typeof value
  const color = COLORS[kind as keyof typeof COLORS] ?? COLORS.null
  return <span style={{ color, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{JSON.stringify(value)}</span>
}

function Label({ name }: { name: string | number | null }) {
  if (name === null) return null
  return (
    <>
      <span style={{ color: typeof name === 'number' ? COLORS.null : COLORS.key }}>{typeof name === 'number' ? name : JSON.stringify(name)}</span>
      <span style={{ color: COLORS.null }}>: </span>
    </>
  )
}

function Node({ name, value, depth, openDepth }: { name: string | number | null; value: unknown; depth: number; openDepth: number }): ReactNode {
  if (value === null || typeof value !== 'object') {
    return (
      <div>
        <Label name={name} />
        <Scalar value={value} />
      </div>
    )
  }
  const array = Array.isArray(value)
  const entries: [string | number, unknown][] = array ? value.map((item, index) => [index, item]) : Object.entries(value as Record<string, unknown>)
  const [open, close] = array ? ['[', ']'] : ['{', '}']
  if (entries.length === 0) {
    return (
      <div>
        <Label name={name} />
        <span>{`${open}${close}`}</span>
      </div>
    )
  }
  const size = array ? `${entries.length} item${entries.length === 1 ? '' : 's'}` : `${entries.length} field${entries.length === 1 ? '' : 's'}`
  return (
    <details open={depth < openDepth}>
      <summary style={{ cursor: 'pointer', listStylePosition: 'inside' }}>
        <Label name={name} />
        <span>{open}</span>
        <span style={{ color: COLORS.null }}> {size} </span>
        <span>{close}</span>
      </summary>
      <div style={{ paddingInlineStart: 18, borderInlineStart: '1px dashed #d9d9d9', marginInlineStart: 3 }}>
        {entries.map(([key, item]) => (
          <Node key={key} name={key} value={item} depth={depth + 1} openDepth={openDepth} />
        ))}
      </div>
    </details>
  )
}

/** A decoded value as a tree to fold: objects and lists open a few levels deep at first. */
export function JsonTree({ value, testId = 'json-tree' }: { value: unknown; testId?: string }) {
  const [openDepth, setOpenDepth] = useState(4)
  const [generation, setGeneration] = useState(0)
  const openTo = (depth: number) => {
    setOpenDepth(depth)
    setGeneration((n) => n + 1)
  }
  const nested = value !== null && typeof value === 'object'
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} wrap justify="flex-end" align="center">
        {nested && (
          <>
            <Button size="small" onClick={() => openTo(Number.POSITIVE_INFINITY)}>
              Expand all
            </Button>
            <Button size="small" onClick={() => openTo(1)}>
              Collapse
            </Button>
          </>
        )}
        <Typography.Text copyable={{ text: prettyJson(value), tooltips: ['Copy the JSON', 'Copied'] }} type="secondary">
          Copy
        </Typography.Text>
      </Flex>
      <div style={treeStyle} data-testid={testId} key={generation}>
        <Node name={null} value={value} depth={0} openDepth={openDepth} />
      </div>
    </Flex>
  )
}
