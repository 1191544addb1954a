import { keepPreviousData } from '@tanstack/react-query'
import { $api } from '../../api/client'
import { auditQuery, EMPTY_FILTERS, type AuditFilters } from './format'

export function useAuditRecords(filters: AuditFilters, limit: number, offset: number, enabled = true) {
  return $api.useQuery(
    'get',
    '/api/v1/audit',
    { params: { query: auditQuery(filters, limit, offset) } },
    { placeholderData: keepPreviousData, enabled },
  )
}

export function useAuditRecord(id: number | null) {
  return $api.useQuery(
    'get',
    '/api/v1/audit/{record_id}',
    { params: { path: { record_id: id ?? 0 } } },
    {
      enabled: id !== null && Number.isInteger(id) && id > 0,
      staleTime: 5 * 60_000, // a record never changes
    },
  )
}

/** The largest page the API serves: an object's history rarely needs more. */
export const HISTORY_LIMIT = 500

export function useObjectHistory(objectType: string, objectId: string) {
  const filters = { ...EMPTY_FILTERS, object_type: objectType, object_id: objectId }
  return useAuditRecords(filters, HISTORY_LIMIT, 0, Boolean(objectType && objectId))
}

/** What the filters can take, from the records the caller may see. */
export function useAuditFacets() {
  return $api.useQuery('get', '/api/v1/audit/facets', {}, { staleTime: 60_000 })
}
