/**
 * `onCell` for a column of short facts (a state, a time, a tag): it keeps them on one line so
 * a table laid out by content gives the free width to the columns that can wrap.
 */
export const noWrapCell = () => ({ style: { whiteSpace: 'nowrap' as const } })
