import { useCallback, useEffect, useMemo, useState } from 'react'
import { useSearchParams } from 'react-router'
import { useDebounced } from './useDebounced'

/** A list page's state, kept in the address so a link or a reload shows the same page. */
export interface ListParams<K extends string> {
  params: URLSearchParams
  /** Each filter's value in the address ('' when unset). */
  filters: Record<K, string>
  /** 1-based page number. */
  page: number
  filtered: boolean
  /** Write one filter; any new filter goes back to page 1. */
  setFilter: (key: K, value: string) => void
  /** Write several filters at once (one history entry). */
  setFilters: (values: Partial<Record<K, string>>) => void
  goToPage: (page: number) => void
  clear: () => void
}

/** Adds or removes `values` in `search` and goes back to page 1; the same object when
 * nothing changes, so the router does not navigate for nothing. */
export function withValues(search: URLSearchParams, values: Record<string, string | undefined>): URLSearchParams {
  const changed = Object.entries(values).some(([key, value]) => (search.get(key) ?? '') !== (value ?? ''))
  if (!changed) return search
  const next = new URLSearchParams(search)
  for (const [key, value] of Object.entries(values)) {
    if (value) next.set(key, value)
    else next.delete(key)
  }
  next.delete('page')
  return next
}

export function withPage(search: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(search)
  if (page > 1) next.set('page', String(page))
  else next.delete('page')
  return next
}

export function pageOf(search: URLSearchParams): number {
  return Math.max(1, Number(search.get('page') ?? '1') || 1)
}

/** The search, filters and page of a list page, in the address (`?q=...&team=...&page=2`). */
export function useListParams<K extends string>(keys: readonly K[]): ListParams<K> {
  const [params, setParams] = useSearchParams()
  const joined = keys.join(',')
  const filters = useMemo(
    () => Object.fromEntries(keys.map((key) => [key, params.get(key) ?? ''])) as Record<K, string>,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the keys are a constant list
    [params, joined],
  )
  const setFilters = useCallback(
    (values: Partial<Record<K, string>>) => setParams((previous) => withValues(previous, values), { replace: true }),
    [setParams],
  )
  const setFilter = useCallback((key: K, value: string) => setFilters({ [key]: value } as Partial<Record<K, string>>), [setFilters])
  const goToPage = useCallback((page: number) => setParams((previous) => withPage(previous, page), { replace: true }), [setParams])
  const clear = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams])
  return {
    params,
    filters,
    page: pageOf(params),
    filtered: keys.some((key) => filters[key] !== ''),
    setFilter,
    setFilters,
    goToPage,
    clear,
  }
}

/** A filter typed into a box: the box answers at once, the address (and so the query)
 * after a pause. Returns the box's value and its setter. */
export function useTypedFilter<K extends string>(list: ListParams<K>, key: K, delayMs = 300): [string, (value: string) => void] {
  const [input, setInput] = useState(list.filters[key])
  const settled = useDebounced(input.trim(), delayMs)
  const { setFilter } = list
  useEffect(() => setFilter(key, settled), [key, settled, setFilter])
  return [input, setInput]
}
