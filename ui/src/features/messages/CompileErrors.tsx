import { Alert, Button, Flex, Typography } from 'antd'
import { placeText, snippet, type CompileProblem, type ProtoFile } from './protoFiles'

const codeBox = {
  margin: '6px 0 0',
  padding: '6px 0',
  background: '#fff',
  border: '1px solid #ffccc7',
  borderRadius: 6,
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
  fontSize: 12,
  overflowX: 'auto' as const,
}

/** The lines around the error, the offending one highlighted and a caret under its column. */
function Snippet({ problem, file }: { problem: CompileProblem; file: ProtoFile | undefined }) {
  if (!file || problem.line === null) return null
  const lines = snippet(file.text, problem.line)
  if (lines.length === 0) return null
  const gutter = String(lines[lines.length - 1].number).length
  return (
    <div style={codeBox} data-testid="compile-error-snippet">
      {lines.map((line) => (
        <div key={line.number}>
          <div
            style={{
              whiteSpace: 'pre',
              padding: '0 10px',
              background: line.offending ? '#fff1f0' : undefined,
              fontWeight: line.offending ? 600 : undefined,
              borderLeft: line.offending ? '3px solid #ff4d4f' : '3px solid transparent',
            }}
            data-testid={line.offending ? 'compile-error-line' : undefined}
            data-line={line.number}
          >
            <span style={{ color: '#8c8c8c', userSelect: 'none' }}>{String(line.number).padStart(gutter, ' ')} │ </span>
            {line.text}
          </div>
          {line.offending && problem.column !== null && (
            <div style={{ whiteSpace: 'pre', padding: '0 10px', color: '#ff4d4f', borderLeft: '3px solid transparent', userSelect: 'none' }} aria-hidden>
              {`${' '.repeat(gutter)} │ ${' '.repeat(Math.max(0, problem.column - 1))}^`}
            </div>
          )}
        </div>
      ))}
    </div>
  )
}

interface Props {
  problems: CompileProblem[]
  files: ProtoFile[]
  /** Puts the cursor on the error's line in the file's editor. */
  onShow: (problem: CompileProblem) => void
}

/** What the compiler said, each error at its file, line and column, with the line itself. */
export function CompileErrors({ problems, files, onShow }: Props) {
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="compile-errors"
      message={`The schema does not compile: ${problems.length} error${problems.length === 1 ? '' : 's'}`}
      description={
        <Flex vertical gap={12} style={{ marginTop: 4, minWidth: 0 }}>
          {problems.map((problem, index) => {
            const file = files.find((candidate) => candidate.path === problem.file)
            return (
              <div key={`${index}-${placeText(problem)}`} data-testid="compile-error" style={{ minWidth: 0 }}>
                <Flex gap={8} wrap align="baseline">
                  {placeText(problem) && (
                    <Typography.Text code strong data-testid="compile-error-place">
                      {placeText(problem)}
                    </Typography.Text>
                  )}
                  <span style={{ overflowWrap: 'anywhere' }} data-testid="compile-error-message">
                    {problem.message}
                  </span>
                  {file && problem.line !== null && (
                    <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onShow(problem)}>
                      Show in the file
                    </Button>
                  )}
                </Flex>
                <Snippet problem={problem} file={file} />
              </div>
            )
          })}
        </Flex>
      }
    />
  )
}
