import { keepPreviousData, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { $api, api, invalidatePaths, unwrap } from '../../api/client'
import type { AccessUserCreate, AccessUserUpdate, GroupMappingCreate, RoleCreate, RoleUpdate, TeamCreate, TeamUpdate } from '../../api/types'

/** A change to users, roles, teams or mappings can change every access view. */
function invalidateAccess(client: QueryClient): Promise<void> {
  return invalidatePaths(client, '/api/v1/users', '/api/v1/roles', '/api/v1/teams', '/api/v1/directory-group-mappings')
}

/** The largest page the API serves; roles, teams and mappings are few, so one page lists them. */
export const ALL = 500

export function usePermissions() {
  return $api.useQuery('get', '/api/v1/permissions', undefined, { staleTime: 5 * 60_000 })
}

export interface UserFilter {
  q: string
  limit: number
  offset: number
}

export function useUsers(filter: UserFilter) {
  const query = { q: filter.q || undefined, limit: filter.limit, offset: filter.offset }
  return $api.useQuery('get', '/api/v1/users', { params: { query } }, { placeholderData: keepPreviousData })
}

const userInit = (id: number) => ({ params: { path: { user_id: id } } })

export function useUser(id: number) {
  return $api.useQuery('get', '/api/v1/users/{user_id}', userInit(id), { enabled: Number.isInteger(id) && id > 0 })
}

/** Changing a user's roles or flags changes teams' and the user list's views too. */
export function useUpdateUser(id: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: AccessUserUpdate) =>
      unwrap(api.PATCH('/api/v1/users/{user_id}', { params: { path: { user_id: id } }, body })),
    onSuccess: (saved) => {
      client.setQueryData($api.queryOptions('get', '/api/v1/users/{user_id}', userInit(id)).queryKey, saved)
      void invalidateAccess(client)
    },
  })
}

export function useRoles() {
  return $api.useQuery('get', '/api/v1/roles', { params: { query: { limit: ALL } } })
}

export function useCreateRole() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: RoleCreate) => unwrap(api.POST('/api/v1/roles', { body })),
    onSuccess: () => invalidateAccess(client),
  })
}

export function useUpdateRole(id: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: RoleUpdate) => unwrap(api.PATCH('/api/v1/roles/{role_id}', { params: { path: { role_id: id } }, body })),
    onSuccess: () => invalidateAccess(client),
  })
}

export function useDeleteRole() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/roles/{role_id}', { params: { path: { role_id: id } } })),
    onSuccess: () => invalidateAccess(client),
  })
}

export function useTeams() {
  return $api.useQuery('get', '/api/v1/teams', { params: { query: { limit: ALL } } })
}

export function useCreateTeam() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: TeamCreate) => unwrap(api.POST('/api/v1/teams', { body })),
    onSuccess: () => invalidateAccess(client),
  })
}

export function useUpdateTeam(name: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: TeamUpdate) => unwrap(api.PATCH('/api/v1/teams/{team}', { params: { path: { team: name } }, body })),
    onSuccess: () => invalidateAccess(client),
  })
}

export function useDeleteTeam() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => unwrap(api.DELETE('/api/v1/teams/{team}', { params: { path: { team: name } } })),
    onSuccess: () => invalidateAccess(client),
  })
}

/** Service names for the "Services…" scope of a grant. */
export function useServiceNames() {
  return $api.useQuery(
    'get',
    '/api/v1/services',
    { params: { query: { limit: ALL } } },
    { select: (page) => page.items.map((service) => service.name), staleTime: 60_000 },
  )
}

export function useMappings() {
  return $api.useQuery('get', '/api/v1/directory-group-mappings', { params: { query: { limit: ALL } } })
}

export function useCreateMapping() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: GroupMappingCreate) => unwrap(api.POST('/api/v1/directory-group-mappings', { body })),
    onSuccess: () => invalidateAccess(client),
  })
}

export function useDeleteMapping() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.DELETE('/api/v1/directory-group-mappings/{mapping_id}', { params: { path: { mapping_id: id } } })),
    onSuccess: () => invalidateAccess(client),
  })
}

export function useCreateUser() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: AccessUserCreate) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: () => invalidateAccess(client),
  })
}
