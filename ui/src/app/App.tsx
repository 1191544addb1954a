import { useState } from 'react'
import { App as AntApp, ConfigProvider } from 'antd'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from 'react-router'
import { setUnauthorizedHandler } from '../api/client'
import { ApiError } from '../api/errors'
import { PageTitleProvider } from '../components/PageTitle'
import { meKey } from '../features/auth/queries'
import { createRouter } from './router'

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not get better by asking again.
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        refetchOnWindowFocus: false,
      },
    },
  })
}

export function App() {
  const [queryClient] = useState(() => {
    const client = makeQueryClient()
    // A 401 anywhere means the session is gone: forget the user, and the guard sends us to /login.
    setUnauthorizedHandler(() => {
      if (client.getQueryData(meKey)) client.setQueryData(meKey, null)
    })
    return client
  })
  const [router] = useState(createRouter)
  return (
    <ConfigProvider theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <PageTitleProvider>
            <RouterProvider router={router} />
          </PageTitleProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  )
}
