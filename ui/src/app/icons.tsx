import type { ComponentType, CSSProperties } from 'react'
import {
  AlertOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BugOutlined,
  CloudOutlined,
  CloudServerOutlined,
  ClusterOutlined,
  CodeOutlined,
  ControlOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  ExperimentOutlined,
  FileSearchOutlined,
  FundOutlined,
  HddOutlined,
  HeartOutlined,
  HomeOutlined,
  KeyOutlined,
  LineChartOutlined,
  LockOutlined,
  MonitorOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PartitionOutlined,
  ProfileOutlined,
  RocketOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SearchOutlined,
  SendOutlined,
  SettingOutlined,
  ShareAltOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons'

type IconComponent = ComponentType<{ className?: string; style?: CSSProperties }>

/** Icons a module may name in its navigation entry; anything else gets the fallback. */
export const MODULE_ICONS: Readonly<Record<string, IconComponent>> = {
  AlertOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BugOutlined,
  CloudOutlined,
  CloudServerOutlined,
  ClusterOutlined,
  CodeOutlined,
  ControlOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  ExperimentOutlined,
  FileSearchOutlined,
  FundOutlined,
  HddOutlined,
  HeartOutlined,
  HomeOutlined,
  KeyOutlined,
  LineChartOutlined,
  LockOutlined,
  MonitorOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PartitionOutlined,
  ProfileOutlined,
  RocketOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SearchOutlined,
  SendOutlined,
  SettingOutlined,
  ShareAltOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  ToolOutlined,
  UserOutlined,
}

export const FALLBACK_ICON: IconComponent = AppstoreOutlined

export function resolveIcon(name: string | null | undefined): IconComponent {
  if (name && Object.prototype.hasOwnProperty.call(MODULE_ICONS, name)) return MODULE_ICONS[name]
  return FALLBACK_ICON
}

export function ModuleIcon({ name, style }: { name: string | null | undefined; style?: CSSProperties }) {
  const Icon = resolveIcon(name)
  return <Icon style={style} />
}
