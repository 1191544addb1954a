import { describe, expect, it } from 'vitest'
import { collectServiceTabs, type ServiceTab } from './serviceTabs'

const tab = (key: string, order: number): ServiceTab => ({
  key,
  order,
  label: () => key,
  visible: () => true,
  Tab: () => null,
})

describe('collectServiceTabs', () => {
  it("puts every feature's tabs in their declared order, whatever the files' order", () => {
    const found = {
      '../features/zeta/serviceTabs.tsx': { serviceTabs: [tab('first', 10)] },
      '../features/alpha/serviceTabs.tsx': { serviceTabs: [tab('third', 30), tab('second', 20)] },
    }
    expect(collectServiceTabs(found).map((contributed) => contributed.key)).toEqual(['first', 'second', 'third'])
  })

  it('finds the debug tab contributed by its feature folder', async () => {
    const { SERVICE_TABS } = await import('./serviceTabs')
    expect(SERVICE_TABS.map((contributed) => contributed.key)).toContain('debug')
  })
})
