/** Names for the debug API's shapes, derived from its paths (see api/types.ts). */
import type { ResponseOf } from '../../api/types'

const ENDPOINT = '/api/v1/services/{service}/debug-endpoints/{endpoint_id}'

export type EndpointStatus = ResponseOf<'/api/v1/debug/endpoints', 'get'>[number]
export type RunSummary = NonNullable<EndpointStatus['last_run']>
export type RunRead = ResponseOf<`${typeof ENDPOINT}/run`, 'post', 201>
export type Trace = NonNullable<RunRead['trace']>
export type Span = Trace['spans'][number]
export type SpanKind = Span['kind']
export type SpanStatus = Span['status']
export type Outcome = RunSummary['outcome']
export type RunComparison = ResponseOf<'/api/v1/debug-runs/{run_id}/compare/{other_id}', 'get'>
export type SpanDelta = RunComparison['spans'][number]
export type SpanSide = NonNullable<SpanDelta['base']>
export type Change = SpanDelta['change']
/** An endpoint's definition in the catalog: its parameters' schema and time limit. */
export type EndpointDefinition = ResponseOf<'/api/v1/services/{service}/debug-endpoints', 'get'>['items'][number]

/** The result views of a run, as the address names them (`&view=`). */
export const RUN_VIEWS = ['waterfall', 'raw', 'result', 'history'] as const
export type RunView = (typeof RUN_VIEWS)[number]
