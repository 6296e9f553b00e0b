// The passages a draft cites, checked before they are saved with it (table draft_sources, migration 4). They
// come from the core's own retrieval, so a bad one is a bug; checking keeps the store safe on its own and turns
// it into a StoreInputError rather than a constraint failure halfway through a transaction.
import type { DraftSource } from '../../../shared/knowledge'
import { StoreInputError } from './errors'
import { isId } from './validate'

export function requireSources(value: unknown): DraftSource[] {
  if (!Array.isArray(value)) throw new StoreInputError('The draft sources must be a list.')
  const seen = new Set<number>()
  return value.map((source: unknown, index) => {
    const s = source as Partial<DraftSource> | null
    const valid =
      s !== null &&
      typeof s === 'object' &&
      isId(s.n) &&
      isId(s.passageId) &&
      typeof s.path === 'string' &&
      typeof s.title === 'string' &&
      typeof s.text === 'string' &&
      Array.isArray(s.heading) &&
      s.heading.every((h) => typeof h === 'string')
    if (!valid) throw new StoreInputError(`Draft source ${index + 1} is not a valid source.`)
    const { n, passageId, path, title, heading, text } = s as DraftSource
    if (seen.has(n)) throw new StoreInputError(`Draft source number ${n} is given twice.`)
    seen.add(n)
    return { n, passageId, path, title, heading: [...heading], text }
  })
}
