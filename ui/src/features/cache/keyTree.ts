/**
 * The keys scanned so far folded into folders on a delimiter ("order:42:items" sits
 * in order: › order:42:), each folder with the count of keys under it, the way
 * RedisInsight's tree view shows a keyspace. Only what was scanned is folded: the
 * counts are of those keys, not of the instance.
 */

export interface NamedKey {
  key: string
  key_b64: string
}

export interface KeyTreeNode<K extends NamedKey> {
  /** Unique among the nodes: a folder by its path, a key by its bytes. */
  id: string
  /** The node's own part of the name ("42:" of "order:42:"); a key's last part. */
  label: string
  /** A folder's path from the prefix on, delimiter included ("order:42:"); a key's name after the prefix. */
  path: string
  folder: boolean
  /** Keys under the folder (all levels); 1 for a key. */
  count: number
  children: KeyTreeNode<K>[]
  /** The key itself, for a leaf. */
  item?: K
}

interface Draft<K extends NamedKey> {
  path: string
  label: string
  count: number
  folders: Map<string, Draft<K>>
  keys: KeyTreeNode<K>[]
}

function draft<K extends NamedKey>(path: string, label: string): Draft<K> {
  return { path, label, count: 0, folders: new Map(), keys: [] }
}

const byLabel = (a: { label: string }, b: { label: string }) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)

function finish<K extends NamedKey>(folder: Draft<K>): KeyTreeNode<K>[] {
  const folders = [...folder.folders.values()].sort(byLabel).map(
    (child): KeyTreeNode<K> => ({
      id: `folder:${child.path}`,
      label: child.label,
      path: child.path,
      folder: true,
      count: child.count,
      children: finish(child),
    }),
  )
  return [...folders, ...[...folder.keys].sort(byLabel)]
}

/** `keys` as a tree on `delimiter`, their names read after `prefix` (the instance's key
 * prefix, which every key shares). Folders come first, each level sorted by name. */
export function foldKeys<K extends NamedKey>(keys: readonly K[], delimiter: string, prefix = ''): KeyTreeNode<K>[] {
  const root = draft<K>('', '')
  for (const item of keys) {
    const name = prefix && item.key.startsWith(prefix) ? item.key.slice(prefix.length) : item.key
    const parts = delimiter ? name.split(delimiter) : [name]
    let folder = root
    folder.count += 1
    for (const part of parts.slice(0, -1)) {
      const path = `${folder.path}${part}${delimiter}`
      let next = folder.folders.get(path)
      if (!next) {
        next = draft<K>(path, `${part}${delimiter}`)
        folder.folders.set(path, next)
      }
      next.count += 1
      folder = next
    }
    const last = parts[parts.length - 1]
    folder.keys.push({ id: `key:${item.key_b64}`, label: last || name, path: name, folder: false, count: 1, children: [], item })
  }
  return finish(root)
}
