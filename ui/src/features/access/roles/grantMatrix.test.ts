import { describe, expect, it } from 'vitest'
import type { Grant, Permission } from '../../../api/types'
import {
  describeGrantErrors,
  grantsFromMatrix,
  matrixFromGrants,
  matrixProblems,
  matrixRows,
  setCell,
} from './grantMatrix'

const permissions: Permission[] = [
  { module: 'catalog', module_title: 'Service catalog', action: 'read', description: '' },
  { module: 'catalog', module_title: 'Service catalog', action: 'write', description: '' },
  { module: 'logs', module_title: 'Logs', action: 'read', description: '' },
  { module: 'logs', module_title: 'Logs', action: 'export', description: '' },
  { module: 'access', module_title: 'Users & access', action: 'read', description: '' },
  { module: 'access', module_title: 'Users & access', action: 'write', description: '' },
]

describe('matrixRows', () => {
  it('starts with "All modules", then the catalogue in order, with extra actions and "*"', () => {
    const rows = matrixRows(permissions)
    expect(rows.map((r) => r.module)).toEqual(['*', 'catalog', 'logs', 'access'])
    expect(rows[0]).toEqual({ module: '*', title: 'All modules (*)', actions: ['read', 'write', 'export', '*'] })
    expect(rows[1].actions).toEqual(['read', 'write', '*'])
    expect(rows[2]).toEqual({ module: 'logs', title: 'Logs', actions: ['read', 'export', '*'] })
  })

  it('adds modules and actions that grants name but the catalogue does not', () => {
    const rows = matrixRows(permissions, [
      { module: 'gone', action: 'read', scope: 'all', targets: [] },
      { module: 'catalog', action: 'purge', scope: 'all', targets: [] },
    ])
    expect(rows.map((r) => r.module)).toEqual(['*', 'catalog', 'logs', 'access', 'gone'])
    expect(rows[1].actions).toEqual(['read', 'write', 'purge', '*'])
    expect(rows[4]).toEqual({ module: 'gone', title: 'gone', actions: ['read', '*'] })
  })
})

describe('grant matrix conversion', () => {
  const grants: Grant[] = [
    { module: '*', action: 'read', scope: 'all', targets: [] },
    { module: 'catalog', action: 'read', scope: 'all', targets: [] },
    { module: 'catalog', action: 'write', scope: 'teams', targets: ['payments', 'core'] },
    { module: 'logs', action: 'export', scope: 'services', targets: ['orders'] },
    { module: 'access', action: '*', scope: 'all', targets: [] },
  ]

  it('round-trips grants through the matrix', () => {
    const { matrix, leftover } = matrixFromGrants(grants)
    expect(leftover).toEqual([])
    expect(matrix.catalog.write).toEqual({ scope: 'teams', targets: ['core', 'payments'] })
    expect(matrix['*'].read).toEqual({ scope: 'all', targets: [] })
    expect(grantsFromMatrix(matrix)).toEqual([
      { module: '*', action: 'read', scope: 'all', targets: [] },
      { module: 'access', action: '*', scope: 'all', targets: [] },
      { module: 'catalog', action: 'read', scope: 'all', targets: [] },
      { module: 'catalog', action: 'write', scope: 'teams', targets: ['core', 'payments'] },
      { module: 'logs', action: 'export', scope: 'services', targets: ['orders'] },
    ])
    // And back again: a second trip changes nothing.
    expect(grantsFromMatrix(matrixFromGrants(grantsFromMatrix(matrix)).matrix)).toEqual(grantsFromMatrix(matrix))
  })

  it('sends write without adding read (the server implies it)', () => {
    const matrix = setCell({}, 'catalog', 'write', { scope: 'all', targets: [] })
    expect(grantsFromMatrix(matrix)).toEqual([{ module: 'catalog', action: 'write', scope: 'all', targets: [] }])
  })

  it('keeps the built-in Admin grant (* / *)', () => {
    const admin: Grant[] = [{ module: '*', action: '*', scope: 'all', targets: [] }]
    expect(grantsFromMatrix(matrixFromGrants(admin).matrix)).toEqual(admin)
  })

  it('merges repeats of a cell and keeps what one cell cannot hold', () => {
    const { matrix, leftover } = matrixFromGrants([
      { module: 'catalog', action: 'read', scope: 'teams', targets: ['a'] },
      { module: 'catalog', action: 'read', scope: 'teams', targets: ['b', 'a'] },
      { module: 'catalog', action: 'write', scope: 'teams', targets: ['a'] },
      { module: 'catalog', action: 'write', scope: 'services', targets: ['orders'] },
      { module: 'logs', action: 'read', scope: 'services', targets: ['x'] },
      { module: 'logs', action: 'read', scope: 'all', targets: [] },
    ])
    expect(matrix.catalog.read).toEqual({ scope: 'teams', targets: ['a', 'b'] })
    expect(matrix.logs.read).toEqual({ scope: 'all', targets: [] })
    expect(leftover).toEqual([{ module: 'catalog', action: 'write', scope: 'services', targets: ['orders'] }])
    expect(grantsFromMatrix(matrix, leftover).at(-1)).toEqual(leftover[0])
  })

  it('drops targets of "all" cells and tidies the others', () => {
    let matrix = setCell({}, 'catalog', 'read', { scope: 'all', targets: ['stale'] })
    matrix = setCell(matrix, 'catalog', 'write', { scope: 'services', targets: [' orders ', 'orders', ''] })
    expect(grantsFromMatrix(matrix)).toEqual([
      { module: 'catalog', action: 'read', scope: 'all', targets: [] },
      { module: 'catalog', action: 'write', scope: 'services', targets: ['orders'] },
    ])
  })

  it('unchecks cells and removes empty rows', () => {
    const matrix = setCell({ catalog: { read: { scope: 'all', targets: [] } } }, 'catalog', 'read', null)
    expect(matrix).toEqual({})
  })
})

describe('matrix problems', () => {
  it('asks for targets on Teams…/Services… cells', () => {
    const matrix = setCell({}, 'catalog', 'write', { scope: 'teams', targets: [] })
    expect(matrixProblems(matrix, permissions)).toEqual(['Service catalog · write: name at least one of the teams'])
    expect(matrixProblems(setCell(matrix, 'catalog', 'write', { scope: 'teams', targets: ['core'] }), permissions)).toEqual([])
  })

  it('names the cell of a 422 about grants.N', () => {
    const sent: Grant[] = [
      { module: '*', action: '*', scope: 'all', targets: [] },
      { module: 'catalog', action: 'write', scope: 'teams', targets: ['x'] },
    ]
    expect(
      describeGrantErrors(['grants.1.targets: unknown team x', 'grants.0: nope', 'name: taken', 'grants.9.module: ?'], sent, permissions),
    ).toEqual(['Service catalog · write: unknown team x', 'All modules · all actions: nope', 'name: taken', 'grants.9.module: ?'])
  })
})
