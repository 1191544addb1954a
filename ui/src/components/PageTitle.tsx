import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'

export interface Crumb {
  title: string
  path?: string
}

interface PageTitleState {
  crumbs: Crumb[]
  setCrumbs: (crumbs: Crumb[]) => void
}

const PageTitleContext = createContext<PageTitleState>({ crumbs: [], setCrumbs: () => {} })

export function PageTitleProvider({ children }: { children: ReactNode }) {
  const [crumbs, setCrumbs] = useState<Crumb[]>([])
  return <PageTitleContext.Provider value={{ crumbs, setCrumbs }}>{children}</PageTitleContext.Provider>
}

export function useCrumbs(): Crumb[] {
  return useContext(PageTitleContext).crumbs
}

/** Names the current page in the header and the browser tab. */
export function usePageTitle(...crumbs: Crumb[]): void {
  const { setCrumbs } = useContext(PageTitleContext)
  const key = JSON.stringify(crumbs)
  useEffect(() => {
    const parsed = JSON.parse(key) as Crumb[]
    setCrumbs(parsed)
    const last = parsed[parsed.length - 1]
    document.title = last ? `${last.title} · Gyrfalcon` : 'Gyrfalcon'
  }, [key, setCrumbs])
}
