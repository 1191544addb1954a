import type { ComponentType, CSSProperties } from 'react'
import {
  ApiOutlined,
  AppstoreOutlined,
  CloudServerOutlined,
  DatabaseOutlined,
  FunctionOutlined,
  GlobalOutlined,
  InboxOutlined,
  SearchOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons'
import { KIND_LABELS } from './format'
import type { SpanKind } from './types'
import { KIND_COLORS } from './waterfall'

const KIND_ICONS: Record<SpanKind, ComponentType<{ style?: CSSProperties }>> = {
  internal: FunctionOutlined,
  db: DatabaseOutlined,
  http: GlobalOutlined,
  rpc: ApiOutlined,
  cache: ThunderboltOutlined,
  queue: InboxOutlined,
  storage: CloudServerOutlined,
  search: SearchOutlined,
  other: AppstoreOutlined,
}

/** What a span called, as an icon in its kind's colour (the name says the rest). */
export function KindIcon({ kind }: { kind: SpanKind }) {
  const Icon = KIND_ICONS[kind]
  return (
    <span title={KIND_LABELS[kind]} style={{ display: 'inline-flex', flex: '0 0 auto' }}>
      <Icon style={{ color: KIND_COLORS[kind] }} />
    </span>
  )
}
