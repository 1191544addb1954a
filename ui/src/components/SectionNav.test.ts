import { describe, expect, it } from 'vitest'
import { currentSection, type Section } from './SectionNav'

const sections: Section[] = [
  { value: '/catalog', label: 'Services', icon: null, testId: 'a' },
  { value: '/catalog/kafka-clusters', label: 'Kafka', icon: null, testId: 'b' },
]

describe('currentSection', () => {
  it('prefers the longest section path the location is under', () => {
    expect(currentSection(sections, '/catalog/kafka-clusters', '/catalog')).toBe('/catalog/kafka-clusters')
    expect(currentSection(sections, '/catalog/services/orders', '/catalog')).toBe('/catalog')
  })

  it('falls back when no section matches', () => {
    expect(currentSection(sections, '/elsewhere', '/catalog')).toBe('/catalog')
    expect(currentSection(sections, '/catalogue', '/catalog')).toBe('/catalog')
  })
})
