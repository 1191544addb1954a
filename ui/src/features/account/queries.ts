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
