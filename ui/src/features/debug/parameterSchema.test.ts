import dayjs from 'dayjs'
import { describe, expect, it } from 'vitest'
import { initialValues, parameterFields, toParameters, valuesFrom } from './parameterSchema'

const schema = {
  type: 'object',
  required: ['order_id'],
  properties: {
    order_id: { type: 'integer', minimum: 1, description: 'The order to load' },
    region: { type: 'string', enum: ['eu', 'us'], default: 'eu' },
    since: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    note: { type: ['string', 'null'], title: 'Note', maxLength: 80, pattern: '^[a-z ]*$' },
    ratio: { type: 'number', exclusiveMaximum: 1 },
    dry_run: { type: 'boolean' },
    skus: { type: 'array', items: { type: 'integer' }, maxItems: 5 },
    tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
    filter: { type: 'object', properties: { x: { type: 'string' } } },
  },
}

describe('parameterFields', () => {
  const fields = parameterFields(schema)
  const byName = Object.fromEntries(fields.map((field) => [field.name, field]))

  it('makes one field per property, in the schema order', () => {
    expect(fields.map((field) => field.name)).toEqual(['order_id', 'region', 'since', 'day', 'note', 'ratio', 'dry_run', 'skus', 'tags', 'filter'])
  })

  it('picks the widget from the type, enum and format', () => {
    expect(fields.map((field) => field.kind)).toEqual(['integer', 'choice', 'date-time', 'date', 'text', 'number', 'boolean', 'list', 'list', 'json'])
    expect(byName.region.choices).toEqual(['eu', 'us'])
    expect(byName.skus.itemType).toBe('integer')
    expect(byName.tags.choices).toEqual(['a', 'b'])
  })

  it('keeps what the schema says of a field: required, bounds, help and title', () => {
    expect(byName.order_id).toMatchObject({ required: true, minimum: 1, description: 'The order to load', label: 'order_id' })
    expect(byName.note).toMatchObject({ required: false, maxLength: 80, pattern: '^[a-z ]*$', label: 'Note' })
    expect(byName.ratio.maximum).toBe(1)
    expect(byName.skus.maxLength).toBe(5)
  })

  it('has nothing to ask when the schema has no properties', () => {
    expect(parameterFields({ type: 'object' })).toEqual([])
    expect(parameterFields(null)).toEqual([])
  })
})

describe('form values and parameters', () => {
  const fields = parameterFields(schema)

  it('starts from the defaults, with switches off', () => {
    const values = initialValues(fields)
    expect(values.region).toBe('eu')
    expect(values.dry_run).toBe(false)
    expect(values.order_id).toBeUndefined()
  })

  it('sends what is filled in, typed as the schema says, and leaves out what is empty', () => {
    const parameters = toParameters(fields, {
      order_id: 42,
      region: 'us',
      since: dayjs('2026-03-01T10:00:00Z'),
      day: dayjs('2026-03-01T10:00:00Z'),
      note: '',
      ratio: null,
      dry_run: false,
      skus: ['12', 'x'],
      tags: [],
      filter: '{"x": "y"}',
    })
    expect(parameters).toEqual({
      order_id: 42,
      region: 'us',
      since: '2026-03-01T10:00:00.000Z',
      day: dayjs('2026-03-01T10:00:00Z').format('YYYY-MM-DD'),
      dry_run: false,
      skus: [12, 'x'],
      filter: { x: 'y' },
    })
  })

  it('refills the form from a past run', () => {
    const values = valuesFrom(fields, { order_id: 7, since: '2026-03-01T10:00:00Z', filter: { x: 'y' }, skus: [1, 2] })
    expect(values.order_id).toBe(7)
    expect(dayjs.isDayjs(values.since)).toBe(true)
    expect(values.filter).toBe('{\n  "x": "y"\n}')
    expect(values.skus).toEqual([1, 2])
    expect(values.region).toBeUndefined()
    expect(toParameters(fields, values)).toMatchObject({ order_id: 7, since: '2026-03-01T10:00:00.000Z', skus: [1, 2] })
  })
})
