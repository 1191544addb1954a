/** Names for the messages API's shapes, derived from its paths (see api/types.ts). */
import type { paths } from '../../api/schema'
import type { BodyOf, ResponseOf } from '../../api/types'

export type Schema = ResponseOf<'/api/v1/schemas/{schema_id}', 'get'>
export type SchemaUpload = BodyOf<'/api/v1/schemas', 'post'>
export type SchemaUploaded = ResponseOf<'/api/v1/schemas', 'post', 201>
export type SchemaVersion = ResponseOf<'/api/v1/schemas/{schema_id}/versions', 'get'>[number]
export type SchemaFiles = ResponseOf<'/api/v1/schemas/{schema_id}/files', 'get'>
export type FieldInfo = ResponseOf<'/api/v1/schemas/{schema_id}/message-types/{message_type}/fields', 'get'>[number]

export type Subscription = ResponseOf<'/api/v1/subscriptions/{subscription_id}', 'get'>
export type SubscriptionCreate = BodyOf<'/api/v1/subscriptions', 'post'>
export type SubscriptionPatch = BodyOf<'/api/v1/subscriptions/{subscription_id}', 'patch'>
export type SubscriptionFields = ResponseOf<'/api/v1/subscriptions/{subscription_id}/fields', 'get'>
export type SubscriptionStatus = Subscription['status']
export type ConsumerState = SubscriptionStatus['state']
export type PartitionLag = SubscriptionStatus['partitions'][number]
export type ValueFormat = Subscription['value_format']
export type KeyFormat = Subscription['key_format']
export type StartFrom = Subscription['start_from']

export type MessagePage = ResponseOf<'/api/v1/messages', 'get'>
export type MessageSummary = MessagePage['items'][number]
export type MessageQuery = NonNullable<paths['/api/v1/messages']['get']['parameters']['query']>
export type MessageDetail = ResponseOf<'/api/v1/messages/{subscription_id}/{partition}/{offset}', 'get'>
export type MessageHeader = MessageDetail['headers'][number]
export type ReplayBody = BodyOf<'/api/v1/messages/{subscription_id}/{partition}/{offset}/replay', 'post'>
export type ReplayResult = ResponseOf<'/api/v1/messages/{subscription_id}/{partition}/{offset}/replay', 'post'>

/** Where one stored message is. */
export interface MessageRef {
  subscriptionId: number
  partition: number
  offset: number
}

/** A filter on a decoded field, as the search's `where` takes it. */
export type FilterOp = 'eq' | 'ne' | 'contains' | 'prefix' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists' | 'missing'

export interface FieldFilter {
  field: string
  op: FilterOp
  value?: string
}
