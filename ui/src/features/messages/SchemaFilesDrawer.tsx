import { useState } from 'react'
import { Alert, Descriptions, Drawer, Empty, Flex, Select, Skeleton, Space, Tabs, Tag, Typography } from 'antd'
import { ErrorAlert } from '../../components/ErrorAlert'
import { RelativeTime } from '../../components/Time'
import { useSchemaFiles, useSchemaVersions } from './queries'
import type { Schema } from './types'

const codeStyle = {
  margin: 0,
  padding: 12,
  maxHeight: '60vh',
  overflow: 'auto',
  background: '#fafafa',
  border: '1px solid #f0f0f0',
  borderRadius: 6,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
  fontSize: 12,
}

/** Numbered lines of a .proto file. */
function Numbered({ text }: { text: string }) {
  const lines = text.split(/\r?\n/)
  const width = String(lines.length).length
  return (
    <pre style={codeStyle} data-testid="schema-file-view">
      {lines.map((line, index) => (
        <div key={index}>
          <span style={{ color: '#8c8c8c', userSelect: 'none' }}>{String(index + 1).padStart(width, ' ')} │ </span>
          {line}
        </div>
      ))}
    </pre>
  )
}

/** A schema's versions, and the files and message types of each. */
export function SchemaFilesDrawer({ schema, onClose }: { schema: Schema | null; onClose: () => void }) {
  const [version, setVersion] = useState<number | undefined>(undefined)
  const versions = useSchemaVersions(schema?.id ?? null)
  const files = useSchemaFiles(schema?.id ?? null, version)
  const shown = (versions.data ?? []).find((item) => item.version === (version ?? schema?.latest_version))
  return (
    <Drawer
      open={schema !== null}
      onClose={() => {
        setVersion(undefined)
        onClose()
      }}
      width="min(820px, 100vw)"
      destroyOnHidden
      title={schema ? `${schema.service}/${schema.name}` : 'Schema'}
      data-testid="schema-drawer"
      extra={
        <Select
          value={version ?? schema?.latest_version}
          onChange={setVersion}
          loading={versions.isPending}
          style={{ width: 150 }}
          aria-label="Version"
          options={(versions.data ?? []).map((item) => ({
            value: item.version,
            label: item.version === schema?.latest_version ? `v${item.version} (latest)` : `v${item.version}`,
          }))}
          data-testid="schema-version-select"
        />
      }
    >
      {versions.isError && <ErrorAlert error={versions.error} title="Cannot load the versions" style={{ marginBottom: 16 }} />}
      {shown && (
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'by', label: 'Uploaded', children: <Space size={4}>by {shown.created_by} <RelativeTime at={shown.created_at} /></Space> },
            {
              key: 'types',
              label: 'Message types',
              children: (
                <Flex gap={4} wrap>
                  {shown.message_types.map((type) => (
                    <Tag key={type} style={{ marginInlineEnd: 0 }}>{type}</Tag>
                  ))}
                </Flex>
              ),
            },
          ]}
        />
      )}
      {shown && shown.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message="The compiler warned"
          description={shown.warnings.map((w) => `${w.file ?? ''}${w.line ? `:${w.line}:${w.column ?? ''}` : ''} ${w.message}`).join('\n')}
        />
      )}
      {files.isError ? (
        <ErrorAlert error={files.error} title="Cannot load the files" />
      ) : !files.data ? (
        <Skeleton active />
      ) : Object.keys(files.data.files).length === 0 ? (
        <Empty description="This version holds no file." />
      ) : (
        <Tabs
          items={Object.entries(files.data.files).map(([path, text]) => ({
            key: path,
            label: <Typography.Text style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12 }}>{path}</Typography.Text>,
            children: <Numbered text={text} />,
          }))}
        />
      )}
    </Drawer>
  )
}
