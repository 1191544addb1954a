import type { TableColumnsType } from 'antd'
import type { ComponentType } from 'react'
import type { ConnectionApi } from './api'
import type { BaseValues } from './bodies'

export interface LastTest {
  tested_at: string
  ok: boolean
  message: string
}

export interface ConnectionBase {
  id: number
  name: string
  description: string
  /** The last test of the saved definition, by hand or on the schedule. */
  last_test?: LastTest | null
}

/** Everything the generic table and drawer need to handle one connection kind. */
export interface ConnectionKind<R extends ConnectionBase, C, P, V extends BaseValues> {
  /** Stable id, used in query keys and test ids: "datasources", "kafka-clusters", ... */
  id: string
  title: string
  singular: string
  /** One line under the tab title, and the empty state's text. */
  description: string
  makeApi: (service: string | null) => ConnectionApi<R, C, P>
  columns: TableColumnsType<R>
  Fields: ComponentType<{ editing: R | null }>
  toValues: (read: R | null) => V
  toCreate: (values: V) => C
  toPatch: (values: V, initial: V) => P
  /** Secret fields of the form; `<name>_set` on the read says whether one is stored. */
  secrets: readonly string[]
  /** Form.List fields whose nested error paths (links.0.url) stay nested. */
  nested?: readonly string[]
  drawerWidth?: number
  /** The row's one test action, when the kind's tests are more than the plain "Test"
   * (a channel: check the connection, or send an example alert). */
  TestAction?: ComponentType<{ row: R; onTested: () => void }>
}
