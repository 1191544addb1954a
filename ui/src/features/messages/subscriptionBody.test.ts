import { describe, expect, it } from 'vitest'
import { replayBody } from './replay'
import { subscriptionCreate, subscriptionPatch, subscriptionValues } from './subscriptionBody'

describe('subscription bodies', () => {
  const values = {
    ...subscriptionValues(null),
    service: 'orders',
    name: ' order-events ',
    cluster: 'events',
    topic: 'orders',
    schema_id: 4,
    message_type: 'shop.OrderEvent',
    start_from: 'earliest' as const,
    start_at: '2026-01-01T00:00:00Z',
    indexed_fields: ['order.id', ' customer.email ', ''],
  }

  it('creates with a schema for protobuf and no start time unless starting from one', () => {
    expect(subscriptionCreate(values)).toEqual({
      service: 'orders',
      name: 'order-events',
      description: '',
      cluster: 'events',
      topic: 'orders',
      value_format: 'protobuf',
      schema_id: 4,
      message_type: 'shop.OrderEvent',
      key_format: 'text',
      start_from: 'earliest',
      start_at: null,
      retention_days: 7,
      indexed_fields: ['order.id', 'customer.email'],
      enabled: true,
    })
  })

  it('drops the schema and fields a format cannot have', () => {
    const text = subscriptionCreate({ ...values, value_format: 'text' })
    expect([text.schema_id, text.message_type, text.indexed_fields]).toEqual([null, null, []])
  })

  it('patches only what changed, the schema cleared when the format leaves protobuf', () => {
    expect(subscriptionPatch({ ...values, retention_days: 30 }, values)).toEqual({ retention_days: 30 })
    expect(subscriptionPatch({ ...values, value_format: 'json' }, values)).toEqual({ value_format: 'json', schema_id: null, message_type: null })
    const timed = { ...values, start_from: 'timestamp' as const }
    expect(subscriptionPatch({ ...timed, start_at: '2026-01-01T00:00:00.000Z' }, timed)).toEqual({})
  })
})

describe('replay bodies', () => {
  it('sends the topic only when another, and the edited value as its format wants', () => {
    expect(replayBody('orders', 'orders', false, 'json', '')).toEqual({})
    expect(replayBody(' orders.retry ', 'orders', true, 'json', '{"a": 1}')).toEqual({ topic: 'orders.retry', value_json: { a: 1 } })
    expect(replayBody('orders', 'orders', true, 'text', 'hello')).toEqual({ value_json: 'hello' })
    expect(replayBody('orders', 'orders', true, 'base64', 'aGk=\n')).toEqual({ value_base64: 'aGk=' })
  })

  it('says what is wrong with an edited value', () => {
    expect(replayBody('orders', 'orders', true, 'json', '{')).toMatch(/^Not JSON/)
    expect(replayBody('orders', 'orders', true, 'base64', 'no way!')).toBe('Not base64')
  })
})
