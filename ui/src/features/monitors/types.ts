/** Names for the monitors API's shapes, derived from its paths (see api/types.ts). */
import type { paths } from '../../api/schema'
import type { BodyOf, ResponseOf } from '../../api/types'

export type Monitor = ResponseOf<'/api/v1/monitors/{monitor_id}', 'get'>
export type MonitorPage = ResponseOf<'/api/v1/monitors', 'get'>
export type MonitorPatch = BodyOf<'/api/v1/monitors/{monitor_id}', 'patch'>
export type MonitorQuery = NonNullable<paths['/api/v1/monitors']['get']['parameters']['query']>
export type MonitorState = Monitor['state']
export type Severity = Monitor['severity']
export type Schedule = Monitor['schedule']
export type Condition = Monitor['condition']

export type RunResult = ResponseOf<'/api/v1/monitors/{monitor_id}/run', 'post'>
export type Outcome = RunResult['outcome']

export type MonitorEvent = ResponseOf<'/api/v1/monitors/{monitor_id}/events', 'get'>['items'][number]
export type EventKind = MonitorEvent['kind']
export type Notification = MonitorEvent['notifications'][number]
export type DeliveryAttempt = Notification['attempt_log'][number]

export type Alert = ResponseOf<'/api/v1/alerts', 'get'>['items'][number]
export type AlertQuery = NonNullable<paths['/api/v1/alerts']['get']['parameters']['query']>
