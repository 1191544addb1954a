import { FolderOutlined, KeyOutlined } from '@ant-design/icons'
import { Empty, Flex, Tag, Tree, Typography } from 'antd'
import type { TreeDataNode } from 'antd'
import { useMemo } from 'react'
import { TypeTag } from './cells'
import { MONO, count } from './format'
import { foldKeys, type KeyTreeNode } from './keyTree'
import type { ScannedKey } from './types'

export const TREE_DELIMITER = ':'

interface Props {
  keys: ScannedKey[]
  prefix: string
  onFolder: (path: string) => void
  onOpen: (key: ScannedKey) => void
}

// Inline, so the title stays on the line of its icon.
const titleStyle = { display: 'inline-flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' as const }

function toData(nodes: KeyTreeNode<ScannedKey>[]): TreeDataNode[] {
  return nodes.map((node) => ({
    key: node.id,
    isLeaf: !node.folder,
    icon: node.folder ? <FolderOutlined /> : <KeyOutlined />,
    title: node.folder ? (
      <span style={titleStyle} data-testid="key-tree-folder" data-path={node.path}>
        <span style={{ fontFamily: MONO, fontSize: 12 }}>{node.label}</span>
        <Tag style={{ marginInlineEnd: 0 }}>{count(node.count)}</Tag>
      </span>
    ) : (
      <span style={titleStyle} data-testid="key-tree-key">
        <span style={{ fontFamily: MONO, fontSize: 12, overflowWrap: 'anywhere' }}>{node.label}</span>
        {node.item && <TypeTag type={node.item.type} />}
      </span>
    ),
    children: node.folder ? toData(node.children) : undefined,
  }))
}

/** The keys scanned so far folded into folders on ':'; a folder searches its keys, a
 * key opens its value. */
export function KeyTreeView({ keys, prefix, onFolder, onOpen }: Props) {
  const nodes = useMemo(() => foldKeys(keys, TREE_DELIMITER, prefix), [keys, prefix])
  const byId = useMemo(() => {
    const found = new Map<string, KeyTreeNode<ScannedKey>>()
    const walk = (list: KeyTreeNode<ScannedKey>[]) => {
      for (const node of list) {
        found.set(node.id, node)
        walk(node.children)
      }
    }
    walk(nodes)
    return found
  }, [nodes])
  if (keys.length === 0) return <Empty description="No key scanned yet to fold into folders." />
  return (
    <Flex vertical gap={8} data-testid="key-tree">
      <Typography.Text type="secondary">
        Folders of the {count(keys.length)} keys scanned so far (not of the whole instance), on “{TREE_DELIMITER}”. Click a folder to search all of its keys, a key to open it.
      </Typography.Text>
      <Tree
        showIcon
        blockNode
        height={560}
        treeData={toData(nodes)}
        selectedKeys={[]}
        onSelect={(_selected, { node }) => {
          const picked = byId.get(String(node.key))
          if (!picked) return
          if (picked.folder) onFolder(picked.path)
          else if (picked.item) onOpen(picked.item)
        }}
      />
    </Flex>
  )
}
