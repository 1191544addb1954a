import { Flex, Typography } from 'antd'

export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#1677ff" />
      <path d="M7 20c5-1 9-5 11-11 1 4 0 7-2 9 3 0 6-1 9-3-2 5-7 8-13 8-2 0-4-1-5-3z" fill="#fff" />
    </svg>
  )
}

export function Logo({ collapsed }: { collapsed: boolean }) {
  return (
    <Flex align="center" justify={collapsed ? 'center' : 'flex-start'} gap={10} style={{ height: 56, paddingInline: collapsed ? 0 : 20 }}>
      <LogoMark />
      {!collapsed && (
        <Typography.Text strong style={{ color: '#fff', fontSize: 18, letterSpacing: 0.3 }}>
          Gyrfalcon
        </Typography.Text>
      )}
    </Flex>
  )
}
