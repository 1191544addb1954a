import { describe, expect, it } from 'vitest'
import { foldKeys, type KeyTreeNode, type NamedKey } from './keyTree'

const named = (...keys: string[]): NamedKey[] => keys.map((key) => ({ key, key_b64: btoa(key) }))

/** The tree as "label (count)" lines, indented by depth, to compare at a glance. */
function outline(nodes: KeyTreeNode<NamedKey>[], depth = 0): string[] {
  return nodes.flatMap((node) => [
    `${'  '.repeat(depth)}${node.label}${node.folder ? ` (${node.count})` : ''}`,
    ...outline(node.children, depth + 1),
  ])
}

describe('foldKeys', () => {
  it('folds on the delimiter with counts, folders first', () => {
    const tree = foldKeys(named('order:2', 'order:1:items', 'order:1:total', 'session:a', 'config'), ':')
    expect(outline(tree)).toEqual([
      'order: (3)',
      '  1: (2)',
      '    items',
      '    total',
      '  2',
      'session: (1)',
      '  a',
      'config',
    ])
  })

  it('reads names after the instance prefix', () => {
    const tree = foldKeys(named('shop:cart:1', 'shop:cart:2'), ':', 'shop:')
    expect(tree).toHaveLength(1)
    expect(tree[0]).toMatchObject({ label: 'cart:', path: 'cart:', count: 2, folder: true })
    expect(tree[0].children.map((node) => node.path)).toEqual(['cart:1', 'cart:2'])
  })

  it('keeps a key and a folder of the same name apart', () => {
    const tree = foldKeys(named('user', 'user:1'), ':')
    expect(outline(tree)).toEqual(['user: (1)', '  1', 'user'])
    expect(new Set(tree.map((node) => node.id)).size).toBe(2)
  })

  it('names a key ending in the delimiter by its whole name', () => {
    const [folder] = foldKeys(named('odd:'), ':')
    expect(folder.children[0]).toMatchObject({ label: 'odd:', folder: false, item: { key: 'odd:' } })
  })

  it('is empty without keys', () => {
    expect(foldKeys([], ':')).toEqual([])
  })
})
