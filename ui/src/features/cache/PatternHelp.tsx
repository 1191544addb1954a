import { QuestionCircleOutlined } from '@ant-design/icons'
import { Button, Popover, Typography } from 'antd'
import { MONO } from './format'
import { patternHelp } from './pattern'

/** The "?" next to the pattern box: the glob syntax SCAN MATCH reads, and what the
 * instance's prefix and an exact name mean here. */
export function PatternHelp({ prefix }: { prefix: string }) {
  const content = (
    <table style={{ borderCollapse: 'collapse', maxWidth: 'min(440px, calc(100vw - 48px))' }} data-testid="pattern-help">
      <tbody>
        {patternHelp(prefix).map(({ syntax, meaning }) => (
          <tr key={syntax}>
            <td style={{ padding: '3px 12px 3px 0', verticalAlign: 'top', whiteSpace: 'nowrap' }}>
              <Typography.Text code style={{ fontFamily: MONO }}>
                {syntax}
              </Typography.Text>
            </td>
            <td style={{ padding: '3px 0', overflowWrap: 'anywhere' }}>{meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
  return (
    <Popover title="Key patterns" content={content} trigger={['hover', 'click']} placement="bottomLeft">
      <Button type="text" size="small" icon={<QuestionCircleOutlined />} aria-label="How patterns work" data-testid="pattern-help-button" />
    </Popover>
  )
}
