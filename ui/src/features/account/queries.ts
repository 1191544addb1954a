import { keepPreviousData, useMutation, useQueryClient } from '@tanstack/react-query'
import { $api, api, invalidatePaths, unwrap } from '../../api/client'
import type { BodyOf, TokenCreate } from '../../api/types'

type PasswordChange = BodyOf<'/api/v1/auth/me/password', 'post'>

export function useTokens(page: number, pageSize: number) {
  return $api.useQuery(
    'get',
    '/api/v1/auth/tokens',
    { params: { query: { limit: pageSize, offset: (page - 1) * pageSize } } },
    { placeholderData: keepPreviousData },
  )
}

export function useCreateToken() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (body: TokenCreate) => unwrap(api.POST('/api/v1/auth/tokens', { body })),
    onSuccess: () => invalidatePaths(client, '/api/v1/auth/tokens'),
  })
}

export function useRevokeToken() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/auth/tokens/{token_id}', { params: { path: { token_id: id } } })),
    onSuccess: () => invalidatePaths(client, '/api/v1/auth/tokens', '/api/v1/users/{user_id}/tokens'),
  })
}

/** Another user's tokens, as an admin sees them on the user's page. */
export function useUserTokens(userId: number, enabled: boolean) {
  return $api.useQuery(
    'get',
    '/api/v1/users/{user_id}/tokens',
    { params: { path: { user_id: userId }, query: { limit: 100 } } },
    { enabled },
  )
}

export function useRevokeUserToken(userId: number) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (tokenId: number) =>
      unwrap(api.DELETE('/api/v1/users/{user_id}/tokens/{token_id}', { params: { path: { user_id: userId, token_id: tokenId } } })),
    onSuccess: () => invalidatePaths(client, '/api/v1/users/{user_id}/tokens', '/api/v1/auth/tokens'),
  })
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: PasswordChange) => unwrap(api.POST('/api/v1/auth/me/password', { body })),
  })
}

/** An admin's reset of another user's password; that user's sessions end. */
export function useResetPassword(userId: number) {
  return useMutation({
    mutationFn: (password: string) =>
      unwrap(api.POST('/api/v1/users/{user_id}/password', { params: { path: { user_id: userId } }, body: { password } })),
  })
}
