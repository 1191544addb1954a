import { describe, expect, it } from 'vitest'
import { canResume, isRunning, progressPercent, reachedMaximum, suggestedMaximum } from './bulk'

describe('bulk delete states', () => {
  it('resumes only a stopped job', () => {
    expect(canResume({ state: 'partial' })).toBe(true)
    expect(canResume({ state: 'cancelled' })).toBe(true)
    expect(canResume({ state: 'running' })).toBe(false)
    expect(canResume({ state: 'done' })).toBe(false)
    expect(isRunning({ state: 'running' })).toBe(true)
  })

  it('knows when the confirmed maximum stopped it', () => {
    expect(reachedMaximum({ deleted: 10, max_keys: 10 })).toBe(true)
    expect(reachedMaximum({ deleted: 4, max_keys: 10 })).toBe(false)
    expect(suggestedMaximum({ deleted: 10, max_keys: 10 })).toBe(20)
  })

  it('shows the progress against the maximum, full when done', () => {
    expect(progressPercent({ state: 'running', deleted: 25, max_keys: 100 })).toBe(25)
    expect(progressPercent({ state: 'done', deleted: 95, max_keys: 100 })).toBe(100)
    expect(progressPercent({ state: 'partial', deleted: 0, max_keys: 0 })).toBe(0)
  })
})
