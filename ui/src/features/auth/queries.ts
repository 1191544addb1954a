import { useCallback } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { $api, api, unwrap } from '../../api/client'
import { ApiError } from '../../api/errors'
import type { MyPermission, User } from '../../api/types'
import { can, canAny, type ServiceRef } from './permissions'

export const meKey = ['auth', 'me'] as const

/** The logged-in user, or null when there is no session (401). */
export async function fetchMe(): Promise<User | null> {
  try {
    return await unwrap(api.GET('/api/v1/auth/me'))
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null
    throw error
  }
}

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: fetchMe, retry: false, staleTime: 60_000 })
}

export function useLogin() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (answer) => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] })
      client.setQueryData(meKey, answer.user)
    },
  })
}

export function useLogout() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout')),
    onSettled: () => {
      client.clear()
      client.setQueryData(meKey, null)
    },
  })
}

export interface Permissions {
  /** What the user holds; empty while loading. */
  perms: MyPermission[]
  /** False until the answer is in (actions stay disabled meanwhile). */
  ready: boolean
  /** `module`.`action` on `service`, or everywhere when no service is given. */
  can: (module: string, action: string, service?: ServiceRef | null) => boolean
  /** `module`.`action` anywhere at all. */
  canAny: (module: string, action: string) => boolean
}

/**
 * The logged-in user's permissions (GET /auth/me/permissions). If they cannot be
 * loaded, everything is allowed: the API still refuses what is not, with its error.
 */
export function usePermissions(): Permissions {
  // Keyed apart from `auth`: login keeps only the `auth` queries, so a new user never
  // sees the previous one's permissions.
  const query = $api.useQuery('get', '/api/v1/auth/me/permissions', undefined, { staleTime: 60_000 })
  const perms = query.data
  const failed = query.isError
  const check = useCallback(
    (module: string, action: string, service?: ServiceRef | null) => failed || can(perms ?? [], module, action, service),
    [perms, failed],
  )
  const checkAny = useCallback((module: string, action: string) => failed || canAny(perms ?? [], module, action), [perms, failed])
  return { perms: perms ?? [], ready: query.isSuccess || failed, can: check, canAny: checkAny }
}
