import { Grid } from 'antd'

/** A phone's width (under antd's `sm`, 576 px): tables fold their facts into fewer
 * columns and cards give their padding to the content. */
export function useNarrow(): boolean {
  // Before the first measure the breakpoints are unknown: the wide layout, as on a desktop.
  return Grid.useBreakpoint().sm === false
}
