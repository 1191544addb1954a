import { SearchOutlined } from '@ant-design/icons'
import { Button, Flex, Input, Select } from 'antd'
import { useEffect, useState } from 'react'
import { PatternHelp } from './PatternHelp'
import type { KeySearch } from './queries'
import { KEY_TYPES, type KeyType } from './types'

interface Props {
  prefix: string
  applied: KeySearch
  searching: boolean
  onSearch: (search: KeySearch) => void
}

/** The pattern (with its help) and the type filter; Search (or Enter) runs them. */
export function KeySearchForm({ prefix, applied, searching, onSearch }: Props) {
  const [pattern, setPattern] = useState(applied.pattern)
  const [type, setType] = useState<KeyType | null>(applied.type)
  // A folder picked in the tree (or a link) changes the search from outside the box.
  useEffect(() => {
    setPattern(applied.pattern)
    setType(applied.type)
  }, [applied.pattern, applied.type])
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        onSearch({ pattern: pattern.trim(), type })
      }}
    >
      <Flex gap={8} wrap align="center">
        <Input
          allowClear
          style={{ flex: '3 1 280px', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace' }}
          prefix={
            <>
              <SearchOutlined />
              {prefix && (
                <span style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }} title="The instance's key prefix, added to every pattern">
                  {prefix}
                </span>
              )}
            </>
          }
          suffix={<PatternHelp prefix={prefix} />}
          placeholder="order:*  (empty: every key)"
          aria-label="Key pattern"
          value={pattern}
          onChange={(event) => setPattern(event.target.value)}
          data-testid="key-pattern"
        />
        <Select<KeyType>
          allowClear
          placeholder="Any type"
          aria-label="Key type"
          value={type ?? undefined}
          onChange={(value) => setType(value ?? null)}
          options={KEY_TYPES.map((value) => ({ value, label: value }))}
          style={{ flex: '1 1 130px', maxWidth: 180 }}
          data-testid="key-type-filter"
        />
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={searching} data-testid="key-search">
          Search
        </Button>
      </Flex>
    </form>
  )
}
