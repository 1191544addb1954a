/**
 * Form values to request bodies. Secrets are write-only, so their form value is a
 * SecretValue: undefined or '' keeps what is stored (omitted from the body), a
 * string replaces it, and null (the "Clear" button) clears it.
 */

export type SecretValue = string | null | undefined

/** A secret in a create body: a value, or nothing at all. */
export function secretForCreate(value: SecretValue): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A secret in a PATCH body: omitted (undefined) to keep, null to clear, a string to replace. */
export function secretForPatch(value: SecretValue): string | null | undefined {
  if (value === null) return null
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Trimmed text, or null when blank (optional text fields). */
export function textOrNull(value: string | null | undefined): string | null {
  const trimmed = (value ?? '').trim()
  return trimmed === '' ? null : trimmed
}

export function text(value: string | null | undefined): string {
  return (value ?? '').trim()
}

export interface KeyValue {
  key: string
  value: string
}

export function pairsToMap(pairs: readonly KeyValue[] | null | undefined): Record<string, string> {
  const map: Record<string, string> = {}
  for (const pair of pairs ?? []) {
    const key = (pair?.key ?? '').trim()
    if (key) map[key] = pair.value ?? ''
  }
  return map
}

export function mapToPairs(map: Readonly<Record<string, string>> | null | undefined): KeyValue[] {
  return Object.entries(map ?? {}).map(([key, value]) => ({ key, value }))
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** The fields of `next` that differ from `previous` (a PATCH sends only what changed). */
export function changedFields<T extends object>(next: T, previous: Partial<T>): Partial<T> {
  const out: Partial<T> = {}
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (next[key] !== undefined && !same(next[key], previous[key])) out[key] = next[key]
  }
  return out
}

/** Adds the secrets to a PATCH body: blank keeps (omitted), null clears, text replaces. */
export function withSecrets<T extends object>(body: T, secrets: Record<string, SecretValue>): T {
  const out = Object.assign({}, body) as Record<string, unknown>
  for (const [name, value] of Object.entries(secrets)) {
    const sent = secretForPatch(value)
    if (sent !== undefined) out[name] = sent
  }
  return out as T
}

/** Adds the secrets that have a value to a create body. */
export function withNewSecrets<T extends object>(body: T, secrets: Record<string, SecretValue>): T {
  const out = Object.assign({}, body) as Record<string, unknown>
  for (const [name, value] of Object.entries(secrets)) {
    const sent = secretForCreate(value)
    if (sent !== undefined) out[name] = sent
  }
  return out as T
}

/** Parses JSON text that must hold an object (a JSON Schema, say). Throws with a readable message. */
export function parseJsonObject(source: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(source)
  } catch (error) {
    throw new Error(`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('Must be a JSON object, e.g. {"type": "object", "properties": {}}')
  }
  return parsed as Record<string, unknown>
}
