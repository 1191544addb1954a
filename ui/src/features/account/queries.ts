import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../../api/client'
import type { TokenCreate } from '../../api/types'

export const tokensKey = ['tokens'] as const

export function useTokens(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...tokensKey, page, pageSize],
    queryFn: () => unwrap(api.GET('/api/v1/auth/tokens', { params: { query: { limit: pageSize, offset: (page - 1) * pageSize } } })),
    placeholderData: keepPreviousData,
  })
}

export function useCreateToken() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: TokenCreate) => unwrap(api.POST('/api/v1/auth/tokens', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  })
}

export function useRevokeToken() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/auth/tokens/{token_id}', { params: { path: { token_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  })
}

/** Another user's tokens, as an admin sees them on the user's page. */
export function useUserTokens(userId: number, enabled: boolean) {
  return useQuery({
    queryKey: [...tokensKey, 'user', userId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/users/{user_id}/tokens', { params: { path: { user_id: userId }, query: { limit: 100 } } })),
    enabled,
  })
}

export function useRevokeUserToken(userId: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (tokenId: number) =>
      unwrap(api.DELETE('/api/v1/users/{user_id}/tokens/{token_id}', { params: { path: { user_id: userId, token_id: tokenId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: tokensKey }),
  })
}
