import { useMemo } from 'react'
import { Form, theme } from 'antd'
import CodeMirror from '@uiw/react-codemirror'
import { MariaSQL, MySQL, PostgreSQL, SQLite, StandardSQL, sql } from '@codemirror/lang-sql'

/** Shown in an empty editor, worded and styled as a hint so nobody takes it for a query
 * already written. */
const QUERY_HINT = "Type your query here, for example: SELECT count(*) FROM orders WHERE status = 'unpaid'"

const DIALECTS = { postgresql: PostgreSQL, mysql: MySQL, mariadb: MariaSQL, sqlite: SQLite } as const

interface Props {
  id?: string
  value?: string
  onChange?: (value: string) => void
  /** The datasource's dialect, for its keywords in the highlighting. */
  dialect?: string
  readOnly?: boolean
}

/** The query as a form control: CodeMirror with SQL highlighting, outlined like antd inputs. */
export function SqlEditor({ id, value, onChange, dialect, readOnly = false }: Props) {
  const { token } = theme.useToken()
  const { status } = Form.Item.useStatus()
  const extensions = useMemo(
    () => [sql({ dialect: DIALECTS[dialect as keyof typeof DIALECTS] ?? StandardSQL, upperCaseKeywords: true })],
    [dialect],
  )
  return (
    <div
      id={id}
      data-testid="sql-editor"
      className="sql-editor"
      style={{
        border: `1px solid ${status === 'error' ? token.colorError : token.colorBorder}`,
        borderRadius: token.borderRadius,
        overflow: 'hidden',
        fontSize: 13,
        background: readOnly ? token.colorBgContainerDisabled : token.colorBgContainer,
      }}
    >
      <CodeMirror
        value={value ?? ''}
        onChange={onChange}
        extensions={extensions}
        editable={!readOnly}
        readOnly={readOnly}
        minHeight="140px"
        maxHeight="360px"
        placeholder={QUERY_HINT}
        basicSetup={{ foldGutter: false, highlightActiveLine: !readOnly, highlightActiveLineGutter: !readOnly }}
        aria-label="SQL query"
      />
    </div>
  )
}
