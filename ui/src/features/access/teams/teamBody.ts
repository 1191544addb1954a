import type { Team, TeamCreate, TeamUpdate } from '../../../api/types'
import { changedFields, text } from '../../catalog/connections/convert'

/** The backend's rule for team names: what services put in their `team` field. */
export const TEAM_NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$/

export interface TeamValues {
  name: string
  display_name: string
  description: string
  members: string[]
  roles: number[]
}

export function teamValues(team: Team | null): TeamValues {
  return {
    name: team?.name ?? '',
    display_name: team?.display_name ?? '',
    description: team?.description ?? '',
    members: [...(team?.members ?? [])],
    roles: [...(team?.roles ?? [])],
  }
}

function editable(v: TeamValues) {
  return {
    display_name: text(v.display_name),
    description: v.description ?? '',
    members: [...new Set((v.members ?? []).map((m) => m.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b)),
    roles: [...new Set(v.roles ?? [])].sort((a, b) => a - b),
  }
}

export function teamCreate(v: TeamValues): TeamCreate {
  return { name: text(v.name), ...editable(v) }
}

/** Only what changed; the name is fixed once created. */
export function teamPatch(v: TeamValues, initial: TeamValues): TeamUpdate {
  return changedFields(editable(v), editable(initial))
}
