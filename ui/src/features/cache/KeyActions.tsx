import { DeleteOutlined } from '@ant-design/icons'
import { App, Button, Flex, InputNumber, Popconfirm, Space } from 'antd'
import { useState } from 'react'
import { problemOf } from '../../api/errors'
import { WriteAction } from '../../components/WriteAction'
import { useDeleteKey, useSetTtl } from './queries'
import type { InstanceRef, KeyInfo } from './types'
import type { WriteCheck } from './useCacheAccess'

interface Props {
  instance: InstanceRef
  info: KeyInfo
  write: WriteCheck
  onDeleted: (info: KeyInfo) => void
  onChanged: (info: KeyInfo) => void
}

/** Failed changes say the API's reason (read-only instance, no permission, key gone). */
function failure(error: unknown): string {
  const problem = problemOf(error)
  return problem.detail ? `${problem.title}: ${problem.detail}` : problem.title
}

/** Delete the key (asked first), give it a TTL, or take its TTL away. */
export function KeyActions({ instance, info, write, onDeleted, onChanged }: Props) {
  const { message } = App.useApp()
  const remove = useDeleteKey(instance)
  const ttl = useSetTtl(instance)
  const [seconds, setSeconds] = useState<number | null>(null)
  const setTtl = (value: number | null) =>
    ttl.mutate(
      { keyB64: info.key_b64, seconds: value },
      {
        onSuccess: (after) => {
          message.success(value === null ? 'The key expires no more' : `The key expires in ${value} s`)
          setSeconds(null)
          onChanged(after)
        },
        onError: (error) => message.error(failure(error)),
      },
    )
  const deleteButton = (
    <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="key-delete">
      Delete key
    </Button>
  )
  return (
    <Flex gap={8} wrap align="center" data-testid="key-actions">
      <Space.Compact>
        <WriteAction allowed={write.allowed} reason={write.reason} testId="key-ttl-needs-write">
          <InputNumber<number>
            min={1}
            max={315_360_000}
            precision={0}
            placeholder="TTL in seconds"
            aria-label="New TTL in seconds"
            value={seconds}
            onChange={(value) => setSeconds(value)}
            style={{ width: 150 }}
            data-testid="key-ttl-seconds"
          />
        </WriteAction>
        <WriteAction allowed={write.allowed} reason={write.reason} testId="key-ttl-set-needs-write">
          <Button disabled={seconds === null} loading={ttl.isPending && ttl.variables?.seconds !== null} onClick={() => setTtl(seconds)} data-testid="key-ttl-set">
            Set TTL
          </Button>
        </WriteAction>
      </Space.Compact>
      <WriteAction allowed={write.allowed} reason={write.reason} testId="key-persist-needs-write">
        <Button disabled={info.ttl_ms === null} loading={ttl.isPending && ttl.variables?.seconds === null} onClick={() => setTtl(null)} data-testid="key-persist">
          Remove TTL
        </Button>
      </WriteAction>
      {write.allowed ? (
        <Popconfirm
          title="Delete this key?"
          description="It is gone for good (UNLINK): whoever reads it next finds nothing."
          okText="Delete"
          okButtonProps={{ danger: true, ...{ 'data-testid': 'key-delete-confirm' } }}
          onConfirm={() =>
            remove.mutateAsync(info.key_b64).then(
              (deleted) => {
                message.success(`Deleted ${deleted.key}`)
                onDeleted(deleted)
              },
              (error: unknown) => {
                message.error(failure(error))
              },
            )
          }
        >
          {deleteButton}
        </Popconfirm>
      ) : (
        <WriteAction allowed={false} reason={write.reason} testId="key-delete-needs-write">
          {deleteButton}
        </WriteAction>
      )}
    </Flex>
  )
}
