/** A run's stored sample, read defensively: it is free-form JSON in the API's schema. */

export interface SqlSample {
  kind: 'sql'
  columns: string[]
  rows: unknown[][]
  truncated: boolean
}

export interface HttpSample {
  kind: 'http'
  status: number
  contentType: string
  body: string
  truncated: boolean
}

export type Sample = SqlSample | HttpSample

/** The sample of a run as SQL rows or an HTTP response; null when there is none or it has another shape. */
export function parseSample(sample: Record<string, unknown> | null | undefined): Sample | null {
  if (!sample || typeof sample !== 'object') return null
  const truncated = sample.truncated === true
  if (Array.isArray(sample.columns) && Array.isArray(sample.rows)) {
    return {
      kind: 'sql',
      columns: sample.columns.map(String),
      rows: sample.rows.filter(Array.isArray) as unknown[][],
      truncated,
    }
  }
  if (typeof sample.status === 'number') {
    return {
      kind: 'http',
      status: sample.status,
      contentType: typeof sample.content_type === 'string' ? sample.content_type : '',
      body: typeof sample.body === 'string' ? sample.body : '',
      truncated,
    }
  }
  return null
}

/** One cell as text: null shown as NULL (as SQL tools do), objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** The body pretty-printed when it is JSON, as received otherwise. */
export function prettyBody(body: string, contentType: string): string {
  if (!contentType.includes('json')) return body
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}
