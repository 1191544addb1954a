import { Col, Form, Input, Row, Select, Space, Switch, Tag } from 'antd'
import type { KafkaCluster, KafkaClusterCreate, KafkaClusterPatch } from '../../../../api/types'
import { kafkaClusterApi } from '../api'
import {
  KAFKA_PROTOCOLS,
  SASL_MECHANISMS,
  kafkaClusterCreate,
  kafkaClusterPatch,
  kafkaClusterValues,
  usesSasl,
  type KafkaClusterValues,
} from '../bodies'
import { NameDescriptionFields } from '../CommonFields'
import type { ConnectionKind } from '../kind'
import { SecretInput } from '../SecretInput'
import { Muted, hostPortListRules } from './shared'

function KafkaClusterFields({ editing }: { editing: KafkaCluster | null }) {
  const form = Form.useFormInstance<KafkaClusterValues>()
  const protocol = Form.useWatch('security_protocol', form)
  const sasl = usesSasl(protocol)
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL'
  return (
    <>
      <NameDescriptionFields singular="Kafka cluster" />
      <Form.Item
        label="Bootstrap servers"
        name="bootstrap_servers"
        extra="host:port of one or more brokers; press Enter after each."
        rules={hostPortListRules('Add at least one broker')}
      >
        <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', ' ']} placeholder="broker-1.internal:9092" data-testid="kafka-bootstrap" />
      </Form.Item>
      <Form.Item label="Security protocol" name="security_protocol" rules={[{ required: true }]}>
        <Select options={KAFKA_PROTOCOLS.map((value) => ({ value, label: value }))} data-testid="kafka-protocol" />
      </Form.Item>
      {sasl && (
        <>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item label="SASL mechanism" name="sasl_mechanism" rules={[{ required: true, message: 'SASL needs a mechanism' }]}>
                <Select options={SASL_MECHANISMS.map((value) => ({ value, label: value }))} data-testid="kafka-sasl-mechanism" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item label="SASL username" name="sasl_username" rules={[{ required: true, whitespace: true, message: 'SASL needs a username' }]}>
                <Input autoComplete="off" data-testid="kafka-sasl-username" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label="SASL password" name="sasl_password">
            <SecretInput isSet={editing?.sasl_password_set} data-testid="kafka-sasl-password" />
          </Form.Item>
        </>
      )}
      {tls && (
        <Form.Item label="Verify TLS certificate" name="tls_verify" valuePropName="checked">
          <Switch data-testid="kafka-tls-verify" />
        </Form.Item>
      )}
    </>
  )
}

export const kafkaClusterKind: ConnectionKind<KafkaCluster, KafkaClusterCreate, KafkaClusterPatch, KafkaClusterValues> = {
  id: 'kafka-clusters',
  title: 'Kafka clusters',
  singular: 'Kafka cluster',
  description: 'The Kafka clusters the services exchange messages on; shared by every service, so each is registered once.',
  makeApi: () => kafkaClusterApi(),
  columns: [
    {
      title: 'Bootstrap servers',
      dataIndex: 'bootstrap_servers',
      key: 'bootstrap',
      render: (servers: string[]) => (
        <Space size={[4, 4]} wrap>
          {servers.map((server) => (
            <Tag key={server} style={{ marginInlineEnd: 0 }}>{server}</Tag>
          ))}
        </Space>
      ),
    },
    { title: 'Protocol', dataIndex: 'security_protocol', key: 'protocol', width: 150, render: (p: string) => <Tag color="cyan">{p}</Tag> },
    {
      title: 'SASL',
      key: 'sasl',
      width: 200,
      render: (_: unknown, row) =>
        row.sasl_mechanism ? `${row.sasl_mechanism} · ${row.sasl_username ?? ''}` : <Muted>—</Muted>,
    },
  ],
  Fields: KafkaClusterFields,
  toValues: kafkaClusterValues,
  toCreate: kafkaClusterCreate,
  toPatch: kafkaClusterPatch,
  secrets: ['sasl_password'],
}
