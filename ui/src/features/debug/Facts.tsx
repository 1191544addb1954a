import { Flex, Typography } from 'antd'
import type { ReactNode } from 'react'

export interface Fact {
  key: string
  label: string
  value: ReactNode
}

/** Short facts side by side, each under its label; they wrap onto more lines on a phone
 * instead of squeezing the values. */
export function Facts({ facts }: { facts: Fact[] }) {
  return (
    <Flex wrap gap="8px 32px">
      {facts.map(({ key, label, value }) => (
        <div key={key} style={{ minWidth: 0, maxWidth: '100%' }}>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {label}
          </Typography.Text>
          <div style={{ overflowWrap: 'anywhere' }}>{value}</div>
        </div>
      ))}
    </Flex>
  )
}
