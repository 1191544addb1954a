import { Alert, Button, Flex, Select, Typography } from 'antd'
import { useState } from 'react'
import { CacheProblem } from './problems'
import { useDecodeSchemas, useDecodedValue, type ProtobufChoice } from './queries'
import { preStyle } from '../../components/preStyle'
import type { InstanceRef } from './types'

/** A string value read as a protobuf message: a schema uploaded on the Messages pages
 * and one of its message types, decoded by the server (or why it does not decode). */
export function ProtobufDecode({ instance, keyB64 }: { instance: InstanceRef; keyB64: string }) {
  const schemas = useDecodeSchemas(instance.service, true)
  const [schemaId, setSchemaId] = useState<number | null>(null)
  const [messageType, setMessageType] = useState<string | null>(null)
  const [choice, setChoice] = useState<ProtobufChoice | null>(null)
  const decoded = useDecodedValue(instance, keyB64, choice)
  if (schemas.isError) {
    return <CacheProblem error={schemas.error} title="The service's protobuf schemas cannot be listed" testId="protobuf-schemas-error" />
  }
  const found = schemas.data ?? []
  if (schemas.isSuccess && found.length === 0) {
    return (
      <Typography.Paragraph type="secondary" data-testid="protobuf-no-schemas">
        The service has no protobuf schema yet: upload one on the Messages pages to read cached messages here.
      </Typography.Paragraph>
    )
  }
  const schema = found.find((item) => item.id === schemaId)
  return (
    <Flex vertical gap={8} data-testid="protobuf-decode">
      <Flex gap={8} wrap>
        <Select
          style={{ minWidth: 180, flex: '1 1 180px' }}
          placeholder="Schema"
          loading={schemas.isPending}
          value={schemaId ?? undefined}
          onChange={(id: number) => {
            setSchemaId(id)
            setMessageType(null)
          }}
          options={found.map((item) => ({ value: item.id, label: `${item.name} (v${item.latest_version})` }))}
          data-testid="protobuf-schema"
        />
        <Select
          style={{ minWidth: 220, flex: '2 1 220px' }}
          placeholder="Message type"
          showSearch
          disabled={schema === undefined}
          value={messageType ?? undefined}
          onChange={setMessageType}
          options={(schema?.message_types ?? []).map((name) => ({ value: name, label: name }))}
          data-testid="protobuf-type"
        />
        <Button
          type="primary"
          disabled={schemaId === null || messageType === null}
          loading={decoded.isFetching}
          onClick={() => schemaId !== null && messageType !== null && setChoice({ schema: schemaId, messageType })}
          data-testid="protobuf-run"
        >
          Decode
        </Button>
      </Flex>
      {decoded.isError && <CacheProblem error={decoded.error} title="Cannot decode" testId="protobuf-error" />}
      {decoded.data?.decode_error && (
        <Alert type="warning" showIcon message={`Not a ${choice?.messageType}`} description={decoded.data.decode_error} data-testid="protobuf-decode-error" />
      )}
      {decoded.data && decoded.data.decode_error === null && (
        <>
          <Typography.Text type="secondary">Decoded as {decoded.data.decoded_as}</Typography.Text>
          <pre style={preStyle} data-testid="protobuf-decoded">{JSON.stringify(decoded.data.decoded, null, 2)}</pre>
        </>
      )}
    </Flex>
  )
}
