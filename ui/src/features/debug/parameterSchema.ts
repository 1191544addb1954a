/**
 * The form fields an endpoint's parameters JSON Schema asks for, and the parameters the
 * filled form gives. The common subset gets a widget of its own (text, choice, date,
 * number, switch, list of primitives); anything else is typed as JSON. The server checks
 * the parameters against the whole schema anyway and names each field that breaks it.
 */
import dayjs, { type Dayjs } from 'dayjs'

export type Primitive = string | number | boolean

type ItemType = 'string' | 'number' | 'integer'

export type FieldKind = 'text' | 'choice' | 'date-time' | 'date' | 'number' | 'integer' | 'boolean' | 'list' | 'json'

export interface ParameterField {
  name: string
  label: string
  kind: FieldKind
  required: boolean
  description?: string
  /** For a choice, or a list whose items are one of these. */
  choices?: Primitive[]
  /** For a list: what its items are. */
  itemType?: ItemType
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  defaultValue?: unknown
}

type Schema = Record<string, unknown>

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The type a property takes apart from null (`["string", "null"]` is a string that may be left out). */
function mainType(schema: Schema): string | undefined {
  const { type } = schema
  if (typeof type === 'string') return type
  if (Array.isArray(type)) return type.find((item): item is string => typeof item === 'string' && item !== 'null')
  return undefined
}

function primitives(value: unknown): Primitive[] | undefined {
  if (!Array.isArray(value)) return undefined
  const found = value.filter((item): item is Primitive => ['string', 'number', 'boolean'].includes(typeof item))
  return found.length === value.length && found.length > 0 ? found : undefined
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

function kindOf(schema: Schema): Pick<ParameterField, 'kind' | 'choices' | 'itemType'> {
  const choices = primitives(schema.enum) ?? ('const' in schema ? primitives([schema.const]) : undefined)
  if (choices) return { kind: 'choice', choices }
  const type = mainType(schema)
  if (type === 'string' && (schema.format === 'date-time' || schema.format === 'date')) return { kind: schema.format }
  if (type === 'string') return { kind: 'text' }
  if (type === 'number' || type === 'integer' || type === 'boolean') return { kind: type }
  if (type === 'array' && isSchema(schema.items)) {
    const items = schema.items
    const itemType = mainType(items)
    const itemChoices = primitives(items.enum)
    if (itemType === 'string' || itemType === 'number' || itemType === 'integer') {
      return { kind: 'list', itemType, ...(itemChoices ? { choices: itemChoices } : {}) }
    }
  }
  return { kind: 'json' }
}

function bounds(schema: Schema): Pick<ParameterField, 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern'> {
  const found: Pick<ParameterField, 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern'> = {}
  const minimum = numberOf(schema.minimum) ?? numberOf(schema.exclusiveMinimum)
  const maximum = numberOf(schema.maximum) ?? numberOf(schema.exclusiveMaximum)
  const minLength = numberOf(schema.minLength) ?? numberOf(schema.minItems)
  const maxLength = numberOf(schema.maxLength) ?? numberOf(schema.maxItems)
  if (minimum !== undefined) found.minimum = minimum
  if (maximum !== undefined) found.maximum = maximum
  if (minLength !== undefined) found.minLength = minLength
  if (maxLength !== undefined) found.maxLength = maxLength
  if (typeof schema.pattern === 'string') found.pattern = schema.pattern
  return found
}

/** One field per property of the schema, in the order the schema lists them. */
export function parameterFields(schema: unknown): ParameterField[] {
  if (!isSchema(schema) || !isSchema(schema.properties)) return []
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((item) => typeof item === 'string') : [])
  return Object.entries(schema.properties).map(([name, property]) => {
    const described = isSchema(property) ? property : {}
    const field: ParameterField = {
      name,
      label: typeof described.title === 'string' && described.title ? described.title : name,
      required: required.has(name),
      ...kindOf(described),
      ...bounds(described),
    }
    if (typeof described.description === 'string' && described.description) field.description = described.description
    if ('default' in described) field.defaultValue = described.default
    return field
  })
}

export type FormValue = string | number | boolean | Dayjs | Primitive[] | null | undefined
export type FormValues = Record<string, FormValue>

/** What the form shows for `value` (a default, or a past run's parameter). */
function toFormValue(field: ParameterField, value: unknown): FormValue {
  if (value === undefined || value === null) return undefined
  switch (field.kind) {
    case 'date-time':
    case 'date':
      return typeof value === 'string' && dayjs(value).isValid() ? dayjs(value) : undefined
    case 'json':
      return JSON.stringify(value, null, 2)
    case 'list':
      return primitives(value) ?? undefined
    default:
      return ['string', 'number', 'boolean'].includes(typeof value) ? (value as Primitive) : undefined
  }
}

/** The form's first values: each field's default; a switch without one starts off. */
export function initialValues(fields: readonly ParameterField[]): FormValues {
  return valuesFrom(fields, Object.fromEntries(fields.map((field) => [field.name, field.defaultValue])))
}

/** The form filled with a past run's parameters, to run it again. */
export function valuesFrom(fields: readonly ParameterField[], parameters: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    fields.map((field) => {
      const value = toFormValue(field, parameters[field.name])
      return [field.name, field.kind === 'boolean' ? (value ?? false) : value]
    }),
  )
}

function listItem(itemType: ItemType | undefined, item: Primitive): Primitive {
  if (itemType === 'string' || typeof item !== 'string') return item
  // A tag typed as "12" is the number 12; a tag that is no number stays text, for the server to name.
  const number = Number(item)
  return item.trim() !== '' && Number.isFinite(number) ? number : item
}

/** The value `field` sends, or undefined to leave the parameter out. */
function toParameter(field: ParameterField, value: FormValue): unknown {
  if (value === undefined || value === null) return undefined
  switch (field.kind) {
    case 'text':
      return value === '' ? undefined : value
    case 'date-time':
      return dayjs.isDayjs(value) ? value.toISOString() : value
    case 'date':
      return dayjs.isDayjs(value) ? value.format('YYYY-MM-DD') : value
    case 'json':
      return typeof value === 'string' && value.trim() !== '' ? JSON.parse(value) : undefined
    case 'list':
      if (!Array.isArray(value) || (value.length === 0 && !field.required)) return undefined
      return value.map((item) => listItem(field.itemType, item))
    default:
      return value
  }
}

/** The run's `parameters` from the form's values; empty fields are left out. Throws
 * SyntaxError for a JSON field that does not parse (its validator says so first). */
export function toParameters(fields: readonly ParameterField[], values: FormValues): Record<string, unknown> {
  const parameters: Record<string, unknown> = {}
  for (const field of fields) {
    const value = toParameter(field, values[field.name])
    if (value !== undefined) parameters[field.name] = value
  }
  return parameters
}
