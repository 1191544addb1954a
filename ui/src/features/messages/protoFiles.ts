/**
 * The .proto files of an upload: where each one goes (the path the others import it
 * by), and the compiler's errors read back with their file, line and column.
 */
import type { Problem } from '../../api/errors'

export interface ProtoFile {
  /** The path the files import each other by, e.g. "shop/order.proto". */
  path: string
  text: string
}

export interface CompileProblem {
  file: string | null
  line: number | null
  column: number | null
  message: string
}

export const COMPILE_FAILED = 'Schema does not compile'

const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm
const PACKAGE = /^\s*package\s+([A-Za-z_][A-Za-z0-9_.]*)\s*;/m
const PLACE = /^(.+?):(\d+):(\d+):\s*(.*)$/s
const FILE_ONLY = /^([^\s:]+\.proto):\s*(.*)$/s

export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((found) => found[1])
}

export function packageOf(text: string): string | null {
  return PACKAGE.exec(text)?.[1] ?? null
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function directory(path: string): string {
  const cut = path.lastIndexOf('/')
  return cut < 0 ? '' : path.slice(0, cut + 1)
}

/**
 * A browser gives a picked file's bare name ("customer.proto"), while the files import
 * each other by path ("shop/customer.proto"). Each bare-named file another one imports
 * by a longer path takes that path; then the other bare-named files of the same package
 * join it in its folder. Files named with a folder already keep their name.
 */
export function placeFiles(files: readonly ProtoFile[]): ProtoFile[] {
  const placed = files.map((file) => ({ ...file }))
  const imported = new Set(placed.flatMap((file) => importsOf(file.text)))
  const folderOfPackage = new Map<string, string>()
  for (const file of placed) {
    if (file.path.includes('/') || imported.has(file.path)) continue
    const wanted = [...imported].find((path) => path.includes('/') && baseName(path) === file.path && !placed.some((other) => other.path === path))
    if (!wanted) continue
    file.path = wanted
    const pkg = packageOf(file.text)
    if (pkg) folderOfPackage.set(pkg, directory(wanted))
  }
  for (const file of placed) {
    if (file.path.includes('/') || imported.has(file.path)) continue
    const pkg = packageOf(file.text)
    const folder = pkg ? folderOfPackage.get(pkg) : undefined
    if (folder && !placed.some((other) => other.path === folder + file.path)) file.path = folder + file.path
  }
  return placed
}

/** `files` with `added` in: a file of the same path is replaced, so picking a fixed copy
 * again takes the place of the broken one. */
export function mergeFiles(files: readonly ProtoFile[], added: readonly ProtoFile[]): ProtoFile[] {
  const merged = files.filter((file) => file.path.trim() !== '' || file.text.trim() !== '')
  for (const file of added) {
    const same = merged.findIndex((other) => other.path === file.path || baseName(other.path) === file.path)
    if (same >= 0) merged[same] = { path: merged[same].path, text: file.text }
    else merged.push(file)
  }
  return placeFiles(merged)
}

/** The upload's `files` body: path to text, without the rows left empty. */
export function filesBody(files: readonly ProtoFile[]): Record<string, string> {
  return Object.fromEntries(files.filter((file) => file.path.trim() !== '').map((file) => [file.path.trim(), file.text]))
}

/**
 * The compiler's errors in a 422, each with its file, line and column: taken from the
 * error's own fields when the client kept them, otherwise read from its message
 * (protoc words them "file:line:column: message"). Null when the problem is not a
 * compile failure.
 */
export function compileProblems(problem: Problem): CompileProblem[] | null {
  if (problem.title !== COMPILE_FAILED) return null
  return (problem.errors ?? []).map((error) => {
    const extra = error as unknown as Partial<CompileProblem>
    const fieldFile = error.field.startsWith('files.') ? error.field.slice('files.'.length) : null
    const placed = PLACE.exec(error.message)
    if (typeof extra.line === 'number') {
      return {
        file: extra.file ?? fieldFile,
        line: extra.line,
        column: extra.column ?? null,
        message: placed ? placed[4] : error.message,
      }
    }
    if (placed) return { file: placed[1], line: Number(placed[2]), column: Number(placed[3]), message: placed[4] }
    const named = FILE_ONLY.exec(error.message)
    if (named) return { file: named[1], line: null, column: null, message: named[2] }
    return { file: fieldFile, line: null, column: null, message: error.message }
  })
}

/** "shop/order.proto:29:5", or as much of it as is known. */
export function placeText(problem: CompileProblem): string {
  if (!problem.file) return ''
  if (problem.line === null) return problem.file
  return problem.column === null ? `${problem.file}:${problem.line}` : `${problem.file}:${problem.line}:${problem.column}`
}

export interface SnippetLine {
  number: number
  text: string
  offending: boolean
}

/** The lines around `line` (1-based) of `text`, the offending one marked. */
export function snippet(text: string, line: number, around = 2): SnippetLine[] {
  const lines = text.split(/\r?\n/)
  if (line < 1 || line > lines.length) return []
  const first = Math.max(1, line - around)
  const last = Math.min(lines.length, line + around)
  const out: SnippetLine[] = []
  for (let number = first; number <= last; number += 1) out.push({ number, text: lines[number - 1], offending: number === line })
  return out
}

/** Where line `line` (1-based) of `text` starts and ends, to select it in the editor. */
export function lineRange(text: string, line: number): [number, number] {
  const lines = text.split('\n')
  const start = lines.slice(0, Math.max(0, line - 1)).reduce((total, current) => total + current.length + 1, 0)
  return [start, start + (lines[line - 1]?.length ?? 0)]
}
