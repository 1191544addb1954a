/** The subscription form's values, and the bodies they make for the API. */
import type { KeyFormat, StartFrom, Subscription, SubscriptionCreate, SubscriptionPatch, ValueFormat } from './types'

export interface SubscriptionValues {
  service: string
  name: string
  description: string
  cluster: string
  topic: string
  value_format: ValueFormat
  schema_id: number | null
  message_type: string | null
  key_format: KeyFormat
  start_from: StartFrom
  /** ISO 8601, with start_from 'timestamp'. */
  start_at: string | null
  retention_days: number
  indexed_fields: string[]
  enabled: boolean
}

export const DEFAULT_RETENTION_DAYS = 7

export function subscriptionValues(subscription: Subscription | null, defaults: Partial<SubscriptionValues> = {}): SubscriptionValues {
  if (subscription) {
    return {
      service: subscription.service,
      name: subscription.name,
      description: subscription.description,
      cluster: subscription.cluster,
      topic: subscription.topic,
      value_format: subscription.value_format,
      schema_id: subscription.schema_id,
      message_type: subscription.message_type,
      key_format: subscription.key_format,
      start_from: subscription.start_from,
      start_at: subscription.start_at,
      retention_days: subscription.retention_days,
      indexed_fields: [...subscription.indexed_fields],
      enabled: subscription.enabled,
    }
  }
  return {
    service: '',
    name: '',
    description: '',
    cluster: '',
    topic: '',
    value_format: 'protobuf',
    schema_id: null,
    message_type: null,
    key_format: 'text',
    start_from: 'latest',
    start_at: null,
    retention_days: DEFAULT_RETENTION_DAYS,
    indexed_fields: [],
    enabled: true,
    ...defaults,
  }
}

/** Whether values of this format have fields to index (protobuf by its schema, JSON by path). */
export function hasFields(format: ValueFormat): boolean {
  return format === 'protobuf' || format === 'json'
}

/** The values as the API wants them: a schema only for protobuf, fields only where there
 * are any, a start time only when starting from one. */
function normalised(values: SubscriptionValues): Omit<SubscriptionCreate, 'service'> {
  const protobuf = values.value_format === 'protobuf'
  return {
    name: values.name.trim(),
    description: (values.description ?? '').trim(),
    cluster: values.cluster,
    topic: values.topic.trim(),
    value_format: values.value_format,
    schema_id: protobuf ? values.schema_id : null,
    message_type: protobuf ? values.message_type : null,
    key_format: values.key_format,
    start_from: values.start_from,
    start_at: values.start_from === 'timestamp' && values.start_at ? new Date(values.start_at).toISOString() : null,
    retention_days: values.retention_days,
    indexed_fields: hasFields(values.value_format) ? values.indexed_fields.map((path) => path.trim()).filter(Boolean) : [],
    enabled: values.enabled,
  }
}

export function subscriptionCreate(values: SubscriptionValues): SubscriptionCreate {
  return { service: values.service, ...normalised(values) }
}

/** Only what changed, so an edit does not restate (and re-check) the rest. */
export function subscriptionPatch(values: SubscriptionValues, initial: SubscriptionValues): SubscriptionPatch {
  const now = normalised(values) as Record<string, unknown>
  const before = normalised(initial) as Record<string, unknown>
  const patch: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(now)) {
    if (JSON.stringify(value) !== JSON.stringify(before[name])) patch[name] = value
  }
  return patch as SubscriptionPatch
}
