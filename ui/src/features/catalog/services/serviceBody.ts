import type { Service, ServiceCreate, ServiceUpdate } from '../../../api/types'
import { changedFields, text, textOrNull } from '../connections/convert'

export const SLUG_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

export interface ServiceValues {
  name: string
  display_name: string
  team: string
  description: string
  base_url: string
  links: { title: string; url: string }[]
  tags: string[]
}

export function serviceValues(service: Service | null): ServiceValues {
  return {
    name: service?.name ?? '',
    display_name: service?.display_name ?? '',
    team: service?.team ?? '',
    description: service?.description ?? '',
    base_url: service?.base_url ?? '',
    links: service?.links.map((link) => ({ title: link.title, url: link.url })) ?? [],
    tags: service?.tags ?? [],
  }
}

function editable(v: ServiceValues) {
  return {
    display_name: text(v.display_name),
    team: textOrNull(v.team),
    description: v.description ?? '',
    base_url: textOrNull(v.base_url),
    links: (v.links ?? [])
      .filter((link) => link && (text(link.title) || text(link.url)))
      .map((link) => ({ title: text(link.title), url: text(link.url) })),
    tags: [...new Set((v.tags ?? []).map((tag) => tag.trim()).filter(Boolean))],
  }
}

export function serviceCreate(v: ServiceValues): ServiceCreate {
  return { name: text(v.name), ...editable(v) }
}

/** Only what changed; a cleared team or base URL is sent as null. */
export function servicePatch(v: ServiceValues, initial: ServiceValues): ServiceUpdate {
  return changedFields(editable(v), editable(initial))
}

/** An absolute http(s) URL; private addresses and bare hosts (http://orders:8080) are fine. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim())
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

/** An antd Form rule for optional http(s) URL fields. */
export const httpUrlRule = {
  validator: async (_rule: unknown, value: string | undefined) => {
    if (value && value.trim() && !isHttpUrl(value)) throw new Error('Enter an http(s) URL such as http://orders.internal:8080')
  },
}
