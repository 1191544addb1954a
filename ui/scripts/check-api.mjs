// Fails when src/api/schema.d.ts is not what openapi-typescript makes of src/api/openapi.json.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const committed = join(root, 'src/api/schema.d.ts')
const dir = mkdtempSync(join(tmpdir(), 'gyrfalcon-api-'))
const fresh = join(dir, 'schema.d.ts')
try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(root, 'src/api/openapi.json'), '-o', fresh],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  let current = ''
  try {
    current = readFileSync(committed, 'utf8')
  } catch {
    current = ''
  }
  if (readFileSync(fresh, 'utf8') !== current) {
    console.error('UI API client is stale: run make api-client')
    process.exit(1)
  }
  console.log('UI API client is up to date.')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
