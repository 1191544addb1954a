import { Tag, Typography } from 'antd'

const METHOD_COLORS: Record<string, string> = { GET: 'blue', POST: 'green', PUT: 'orange', PATCH: 'gold', DELETE: 'red' }

/** The request an endpoint makes: its method and its path under the service's base URL. */
export function MethodPath({ method, path }: { method: string; path: string }) {
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <Tag color={METHOD_COLORS[method] ?? 'default'} style={{ marginInlineEnd: 4 }}>
        {method}
      </Tag>
      <Typography.Text code style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
        {path}
      </Typography.Text>
    </span>
  )
}
