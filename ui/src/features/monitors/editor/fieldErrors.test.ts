import { describe, expect, it } from 'vitest'
import { formFieldOf } from './fieldErrors'

describe('formFieldOf', () => {
  it('maps API paths onto the editor fields', () => {
    expect(formFieldOf('condition.threshold', 'sql')).toEqual(['condition', 'threshold'])
    expect(formFieldOf('condition', 'sql')).toEqual(['condition', 'value'])
    expect(formFieldOf('schedule.every_seconds', 'sql')).toEqual(['schedule', 'every'])
    expect(formFieldOf('schedule.cron', 'sql')).toEqual(['schedule', 'cron'])
    expect(formFieldOf('notify.emails.0', 'sql')).toEqual(['notify', 'emails'])
    expect(formFieldOf('query', 'sql')).toEqual(['query'])
    expect(formFieldOf('body.name', 'sql')).toEqual(['name'])
    expect(formFieldOf('http.headers.Host', 'http')).toEqual(['http', 'headers'])
    expect(formFieldOf('http', 'http')).toEqual(['http', 'path'])
  })

  it('has no field for the other type or unknown paths', () => {
    expect(formFieldOf('query', 'http')).toBeNull()
    expect(formFieldOf('http.path', 'sql')).toBeNull()
    expect(formFieldOf('whatever', 'sql')).toBeNull()
  })
})
