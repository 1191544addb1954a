import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../api/client'
import type { AccessUserUpdate, GroupMappingCreate, RoleCreate, RoleUpdate, TeamCreate, TeamUpdate } from '../../api/types'

export const accessKey = ['access'] as const
const usersKey = [...accessKey, 'users'] as const
const rolesKey = [...accessKey, 'roles'] as const
const teamsKey = [...accessKey, 'teams'] as const
const mappingsKey = [...accessKey, 'mappings'] as const

/** The largest page the API serves; roles, teams and mappings are few, so one page lists them. */
export const ALL = 500

export function usePermissions() {
  return useQuery({
    queryKey: [...accessKey, 'permissions'],
    queryFn: () => unwrap(api.GET('/api/v1/permissions')),
    staleTime: 5 * 60_000,
  })
}

export interface UserFilter {
  q: string
  limit: number
  offset: number
}

export function useUsers(filter: UserFilter) {
  return useQuery({
    queryKey: [...usersKey, 'list', filter],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/users', {
          params: { query: { q: filter.q || undefined, limit: filter.limit, offset: filter.offset } },
        }),
      ),
    placeholderData: keepPreviousData,
  })
}

export function useUser(id: number) {
  return useQuery({
    queryKey: [...usersKey, 'one', id],
    queryFn: () => unwrap(api.GET('/api/v1/users/{user_id}', { params: { path: { user_id: id } } })),
    enabled: Number.isInteger(id) && id > 0,
  })
}

/** Changing a user's roles or flags changes teams' and the user list's views too. */
export function useUpdateUser(id: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: AccessUserUpdate) =>
      unwrap(api.PATCH('/api/v1/users/{user_id}', { params: { path: { user_id: id } }, body })),
    onSuccess: (saved) => {
      client.setQueryData([...usersKey, 'one', id], saved)
      void client.invalidateQueries({ queryKey: usersKey })
    },
  })
}

export function useRoles() {
  return useQuery({
    queryKey: [...rolesKey, 'list'],
    queryFn: () => unwrap(api.GET('/api/v1/roles', { params: { query: { limit: ALL } } })),
  })
}

export function useCreateRole() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: RoleCreate) => unwrap(api.POST('/api/v1/roles', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}

export function useUpdateRole(id: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: RoleUpdate) => unwrap(api.PATCH('/api/v1/roles/{role_id}', { params: { path: { role_id: id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}

export function useDeleteRole() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/roles/{role_id}', { params: { path: { role_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}

export function useTeams() {
  return useQuery({
    queryKey: [...teamsKey, 'list'],
    queryFn: () => unwrap(api.GET('/api/v1/teams', { params: { query: { limit: ALL } } })),
  })
}

export function useCreateTeam() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: TeamCreate) => unwrap(api.POST('/api/v1/teams', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}

export function useUpdateTeam(name: string) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: TeamUpdate) => unwrap(api.PATCH('/api/v1/teams/{team}', { params: { path: { team: name } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}

export function useDeleteTeam() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (name: string) => unwrap(api.DELETE('/api/v1/teams/{team}', { params: { path: { team: name } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}

/** Service names for the "Services…" scope of a grant. */
export function useServiceNames() {
  return useQuery({
    queryKey: ['services', 'names'],
    queryFn: () => unwrap(api.GET('/api/v1/services', { params: { query: { limit: ALL } } })),
    select: (page) => page.items.map((service) => service.name),
    staleTime: 60_000,
  })
}

export function useMappings() {
  return useQuery({
    queryKey: [...mappingsKey, 'list'],
    queryFn: () => unwrap(api.GET('/api/v1/directory-group-mappings', { params: { query: { limit: ALL } } })),
  })
}

export function useCreateMapping() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: GroupMappingCreate) => unwrap(api.POST('/api/v1/directory-group-mappings', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}

export function useDeleteMapping() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.DELETE('/api/v1/directory-group-mappings/{mapping_id}', { params: { path: { mapping_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: accessKey }),
  })
}
