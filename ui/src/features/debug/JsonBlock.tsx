import type { ReactNode } from 'react'
import { preStyle } from '../../components/preStyle'

/** Text as it came (a body, a result), kept in a scrolling box so a long one does not
 * stretch the page. */
export function JsonBlock({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <pre
      data-testid={testId}
      style={{
        ...preStyle,
        whiteSpace: 'pre-wrap',
        overflowWrap: 'anywhere',
      }}
    >
      {children}
    </pre>
  )
}
