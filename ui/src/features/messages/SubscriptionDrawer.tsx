import { useEffect, useMemo, useState } from 'react'
import { App, AutoComplete, Button, DatePicker, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Switch, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { Link } from 'react-router'
import { applyProblemToForm } from '../../components/formErrors'
import { FormProblem, type FormProblemState } from '../../components/FormProblem'
import { START_LABELS, VALUE_FORMATS } from './format'
import { useClusterTopics, useCreateSubscription, useKafkaClusters, useMessageTypeFields, useSchemas, useUpdateSubscription } from './queries'
import { hasFields, subscriptionCreate, subscriptionPatch, subscriptionValues, type SubscriptionValues } from './subscriptionBody'
import type { Subscription } from './types'

type FormValues = Omit<SubscriptionValues, 'start_at'> & { start_at: Dayjs | null }

interface Props {
  open: boolean
  /** The subscription to edit, or null for a new one. */
  subscription: Subscription | null
  /** The services the user may subscribe (write permission). */
  services: string[]
  /** A service to start a new subscription with. */
  defaultService?: string
  onClose: () => void
  onSaved?: (subscription: Subscription) => void
}

const SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/

function toForm(values: SubscriptionValues): FormValues {
  return { ...values, start_at: values.start_at ? dayjs(values.start_at) : null }
}

function fromForm(values: FormValues): SubscriptionValues {
  return { ...values, start_at: values.start_at ? values.start_at.toISOString() : null }
}

/** Subscribe a service to a topic: where it is, how its values decode, what to index. */
export function SubscriptionDrawer({ open, subscription, services, defaultService, onClose, onSaved }: Props) {
  const [form] = Form.useForm<FormValues>()
  const [problem, setProblem] = useState<FormProblemState | null>(null)
  const { message } = App.useApp()
  const create = useCreateSubscription()
  const update = useUpdateSubscription()
  const saving = create.isPending || update.isPending
  const fallbackService = defaultService ?? (services.length === 1 ? services[0] : '')
  const initial = useMemo(() => subscriptionValues(subscription, { service: fallbackService }), [subscription, fallbackService])
  const [shown, setShown] = useState<SubscriptionValues>(initial)

  // Filled in once each time it opens: a list that loads later does not undo the typing.
  useEffect(() => {
    if (open) {
      form.resetFields()
      form.setFieldsValue(toForm(initial))
      setShown(initial)
      setProblem(null)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on opening
  }, [open, subscription, form])

  const service = Form.useWatch('service', form)
  const cluster = Form.useWatch('cluster', form)
  const topics = useClusterTopics(open ? cluster : undefined)
  const topicOptions = (topics.data ?? []).map((topic) => ({
    value: topic.name,
    label: `${topic.name} (${topic.partitions} partition${topic.partitions === 1 ? '' : 's'})`,
  }))
  const format = Form.useWatch('value_format', form) ?? shown.value_format
  const schemaId = Form.useWatch('schema_id', form) ?? null
  const messageType = Form.useWatch('message_type', form) ?? null
  const startFrom = Form.useWatch('start_from', form) ?? shown.start_from

  const clusters = useKafkaClusters()
  const schemas = useSchemas()
  const schema = (schemas.data ?? []).find((item) => item.id === schemaId) ?? null
  const fields = useMessageTypeFields(format === 'protobuf' ? schemaId : null, format === 'protobuf' ? messageType : null)

  const schemaOptions = useMemo(
    () =>
      [...(schemas.data ?? [])]
        .sort((a, b) => Number(b.service === service) - Number(a.service === service) || `${a.service}/${a.name}`.localeCompare(`${b.service}/${b.name}`))
        .map((item) => ({
          value: item.id,
          label: `${item.service}/${item.name} (v${item.latest_version})`,
        })),
    [schemas.data, service],
  )
  const fieldOptions = (fields.data ?? [])
    .filter((field) => field.indexable)
    .map((field) => ({
      value: field.path,
      label: (
        <Flex justify="space-between" gap={8}>
          <span>{field.path}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {field.repeated ? `repeated ${field.type}` : field.type}
          </Typography.Text>
        </Flex>
      ),
    }))

  const onFinish = (formValues: FormValues) => {
    setProblem(null)
    const values = fromForm(formValues)
    const handlers = {
      onSuccess: (saved: Subscription) => {
        message.success(subscription ? `Subscription ${saved.name} saved` : `Subscription ${saved.name} created: a worker joins ${saved.topic} within seconds`)
        onSaved?.(saved)
        onClose()
      },
      onError: (error: unknown) => setProblem(applyProblemToForm(form, error)),
    }
    if (subscription) update.mutate({ id: subscription.id, body: subscriptionPatch(values, shown) }, handlers)
    else create.mutate(subscriptionCreate(values), handlers)
  }

  const clusterField = clusters.isError ? (
    <Input placeholder="The Kafka cluster's name in the catalog" data-testid="subscription-cluster" />
  ) : (
    <Select
      showSearch
      loading={clusters.isPending}
      placeholder="Pick a Kafka cluster"
      options={(clusters.data?.items ?? []).map((cluster) => ({ value: cluster.name, label: cluster.name }))}
      notFoundContent={clusters.isPending ? 'Loading…' : <span>No Kafka cluster yet: add one under <Link to="/catalog/kafka-clusters">Catalog · Kafka clusters</Link>.</span>}
      data-testid="subscription-cluster"
    />
  )

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width="min(600px, 100vw)"
      destroyOnHidden
      title={subscription ? `Edit ${subscription.service}/${subscription.name}` : 'New subscription'}
      data-testid="subscription-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="subscription-save">
            {subscription ? 'Save' : 'Create subscription'}
          </Button>
        </Flex>
      }
    >
      <FormProblem state={problem} title={subscription ? 'The subscription was not saved' : 'The subscription was not created'} />
      <Form<FormValues> form={form} layout="vertical" initialValues={toForm(shown)} onFinish={onFinish} data-testid="subscription-form">
        <Form.Item label="Service" name="service" rules={[{ required: true, message: 'Pick the service whose messages these are' }]}>
          <Select
            showSearch
            disabled={Boolean(subscription)}
            placeholder="The service that owns the topic"
            options={services.map((name) => ({ value: name, label: name }))}
            notFoundContent="You may add subscriptions to no service"
            data-testid="subscription-service"
          />
        </Form.Item>
        <Form.Item
          label="Name"
          name="name"
          extra="Lowercase letters, digits and '-'; unique within the service."
          rules={[
            { required: true, message: 'A name is required' },
            { pattern: SLUG, message: "Use lowercase letters, digits and '-' (not at the start or end)" },
          ]}
        >
          <Input placeholder="order-events" autoComplete="off" data-testid="subscription-name" />
        </Form.Item>
        <Form.Item label="Description" name="description" rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="subscription-description" />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item label="Kafka cluster" name="cluster" rules={[{ required: true, message: 'Pick the cluster' }]} style={{ flex: '1 1 200px' }}>
            {clusterField}
          </Form.Item>
          <Form.Item
            label="Topic"
            name="topic"
            rules={[
              { required: true, message: 'Name the topic' },
              { pattern: TOPIC, message: "Letters, digits, '.', '_' and '-'" },
            ]}
            style={{ flex: '1 1 200px' }}
            extra={topics.isError ? 'The cluster does not list its topics now: type the name.' : undefined}
          >
            <AutoComplete
              options={topicOptions}
              filterOption={(input, option) => String(option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
            >
              <Input placeholder="orders.events" autoComplete="off" data-testid="subscription-topic" />
            </AutoComplete>
          </Form.Item>
        </Flex>
        <Form.Item label="Values are" name="value_format">
          <Radio.Group optionType="button" options={VALUE_FORMATS} data-testid="subscription-format" />
        </Form.Item>
        {format === 'protobuf' && (
          <Flex gap={12} wrap>
            <Form.Item
              label="Schema"
              name="schema_id"
              rules={[{ required: true, message: 'Pick the schema that decodes the values' }]}
              style={{ flex: '1 1 220px', minWidth: 0 }}
            >
              <Select
                showSearch
                optionFilterProp="label"
                loading={schemas.isPending}
                placeholder="An uploaded .proto schema"
                options={schemaOptions}
                onChange={(id: number) => {
                  const picked = (schemas.data ?? []).find((item) => item.id === id)
                  if (picked && !picked.message_types.includes(form.getFieldValue('message_type'))) form.setFieldValue('message_type', null)
                }}
                notFoundContent={<span>No schema yet: upload one under <Link to="/messages/schemas">Schemas</Link>.</span>}
                data-testid="subscription-schema"
              />
            </Form.Item>
            <Form.Item
              label="Message type"
              name="message_type"
              rules={[{ required: true, message: "Pick the values' message type" }]}
              style={{ flex: '1 1 220px', minWidth: 0 }}
            >
              <Select
                showSearch
                disabled={!schema}
                placeholder={schema ? 'shop.OrderEvent' : 'Pick the schema first'}
                options={(schema?.message_types ?? []).map((type) => ({ value: type, label: type }))}
                data-testid="subscription-message-type"
              />
            </Form.Item>
          </Flex>
        )}
        {hasFields(format) && (
          <Form.Item
            label="Indexed fields"
            name="indexed_fields"
            extra={
              format === 'protobuf'
                ? 'Search by these business fields (an order id, a customer email) answers from an index. Every field can still be filtered on, more slowly.'
                : 'Paths into the JSON value, like order.id: search by them answers from an index.'
            }
          >
            <Select
              mode="tags"
              tokenSeparators={[',', ' ']}
              loading={fields.isFetching}
              placeholder={format === 'protobuf' && !messageType ? 'Pick the message type first' : 'order.id'}
              options={fieldOptions}
              optionLabelProp="value"
              notFoundContent={fields.isError ? 'Cannot read the fields of this message type' : undefined}
              data-testid="subscription-indexed-fields"
            />
          </Form.Item>
        )}
        <Form.Item label="Keys are" name="key_format">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'text', label: 'Text' },
              { value: 'json', label: 'JSON' },
              { value: 'bytes', label: 'Bytes' },
            ]}
            data-testid="subscription-key-format"
          />
        </Form.Item>
        <Form.Item
          label="Start from"
          name="start_from"
          extra={subscription ? 'Applies when it starts afresh: after a change of cluster or topic.' : undefined}
        >
          <Radio.Group data-testid="subscription-start-from">
            <Flex vertical gap={4}>
              {(['latest', 'earliest', 'timestamp'] as const).map((value) => (
                <Radio key={value} value={value} data-testid={`subscription-start-${value}`}>
                  {START_LABELS[value]}
                </Radio>
              ))}
            </Flex>
          </Radio.Group>
        </Form.Item>
        {startFrom === 'timestamp' && (
          <Form.Item label="First message at" name="start_at" rules={[{ required: true, message: 'Pick the time to start from' }]}>
            <DatePicker showTime style={{ width: '100%' }} data-testid="subscription-start-at" />
          </Form.Item>
        )}
        <Flex gap={24} wrap align="flex-start">
          <Form.Item label="Keep messages for" name="retention_days" rules={[{ required: true, message: 'How many days?' }]}>
            <InputNumber min={1} max={3650} addonAfter="days" style={{ width: 170 }} data-testid="subscription-retention" />
          </Form.Item>
          <Form.Item label="Consuming" name="enabled" valuePropName="checked">
            <Switch data-testid="subscription-enabled" />
          </Form.Item>
        </Flex>
      </Form>
    </Drawer>
  )
}
