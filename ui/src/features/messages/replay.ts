/** The replay's body from the modal's state: the topic when another, and the edited value. */
import { prettyJson } from './format'
import type { MessageDetail, ReplayBody, Subscription } from './types'

export type EditMode = 'json' | 'text' | 'base64'

/** How the value is edited: JSON of the message type (protobuf, JSON), text, or base64
 * bytes (also for a value that did not decode). */
export function editing(subscription: Subscription | null, detail: Pick<MessageDetail, 'decoded'>): EditMode {
  const format = subscription?.value_format ?? 'bytes'
  if (format === 'bytes' || detail.decoded === null || detail.decoded === undefined) return 'base64'
  if (format === 'text') return 'text'
  return 'json'
}

export function startingText(detail: MessageDetail, mode: EditMode): string {
  if (mode === 'base64') return detail.value_base64 ?? ''
  if (mode === 'text') return typeof detail.decoded === 'string' ? detail.decoded : ''
  return detail.decoded === null || detail.decoded === undefined ? '' : prettyJson(detail.decoded)
}

/** The replay body, or what is wrong with the edited value. */
export function replayBody(topic: string, original: string, edit: boolean, mode: EditMode, text: string): ReplayBody | string {
  const body: ReplayBody = {}
  if (topic.trim() !== original) body.topic = topic.trim()
  if (!edit) return body
  if (mode === 'base64') {
    const compact = text.replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return 'Not base64'
    return { ...body, value_base64: compact }
  }
  if (mode === 'text') return { ...body, value_json: text }
  try {
    return { ...body, value_json: JSON.parse(text) as unknown }
  } catch (error) {
    return `Not JSON: ${error instanceof Error ? error.message : String(error)}`
  }
}

