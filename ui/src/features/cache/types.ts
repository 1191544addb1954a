/** Names for the cache API's shapes, derived from its paths (see api/types.ts). */
import type { BodyOf, ResponseOf } from '../../api/types'

const INSTANCE = '/api/v1/services/{service}/redis/{instance_id}'
const KEY = '/api/v1/services/{service}/redis/{instance_id}/keys/{key}'

export type InstanceSummary = ResponseOf<'/api/v1/cache/instances', 'get'>[number]
export type KeyPage = ResponseOf<`${typeof INSTANCE}/keys`, 'get'>
export type KeyInfo = KeyPage['items'][number]
export type MatchCount = ResponseOf<`${typeof INSTANCE}/keys-count`, 'get'>
export type KeyName = MatchCount['sample'][number]
export type ValuePage = ResponseOf<`${typeof KEY}/value`, 'get'>
export type Element = NonNullable<ValuePage['elements']>[number]
export type Blob = NonNullable<ValuePage['chunk']>
export type Analysis = ResponseOf<`${typeof INSTANCE}/analysis`, 'get'>
export type Share = Analysis['by_type'][number]
export type BigKey = Analysis['biggest'][number]
export type BulkDelete = ResponseOf<`${typeof INSTANCE}/bulk-deletes/{job_id}`, 'get'>
export type BulkDeleteStart = BodyOf<`${typeof INSTANCE}/bulk-deletes`, 'post'>

/** The types a key search can filter on (the API's `type` parameter). */
export const KEY_TYPES = ['string', 'hash', 'list', 'set', 'zset', 'stream'] as const
export type KeyType = (typeof KEY_TYPES)[number]

export type ValueOrder = 'asc' | 'desc'

/** One instance, as the pages name it: its service and id. */
export interface InstanceRef {
  service: string
  instanceId: number
}

/** A key of a search, with the offset of the server's clock to the browser's when the
 * page arrived (to count its TTL down). */
export interface ScannedKey extends KeyInfo {
  clockOffsetMs: number
}
