/** The monitor shapes the editor works with, named from the generated API schema. */
import type { BodyOf, ResponseOf } from '../../../api/types'

export type MonitorDefinition = BodyOf<'/api/v1/monitors', 'post'>
export type MonitorUpdate = BodyOf<'/api/v1/monitors/{monitor_id}', 'patch'>
export type Monitor = ResponseOf<'/api/v1/monitors/{monitor_id}', 'get'>
export type PreviewResult = ResponseOf<'/api/v1/monitors/preview', 'post'>
export type Schedule = MonitorDefinition['schedule']
export type Condition = MonitorDefinition['condition']
export type HttpRequest = NonNullable<MonitorDefinition['http']>
export type MonitorType = MonitorDefinition['type']
export type Severity = NonNullable<MonitorDefinition['severity']>
export type Operator = Condition['operator']
export type ValueSource = Condition['value']
export type HttpMethod = HttpRequest['method']
export type State = Monitor['state']
export type Outcome = PreviewResult['outcome']

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info']
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'HEAD']
export const MIN_INTERVAL_SECONDS = 10
export const MAX_INTERVAL_SECONDS = 7 * 86400
export const MAX_TIMEOUT_SECONDS = 300
