// How a draft's sources are named and looked up: the Sources list, the citation buttons and the passage dialog all
// say the same thing. Pure: unit-tested under Node.
import type { DraftSource } from '../../../shared/knowledge'

/** "Returns policy › Refunds › Card payments": the document's title, then the headings above the passage. */
export function sourceTitle(source: Pick<DraftSource, 'title' | 'heading'>): string {
  // A document without headings gives its title as the only heading; saying it twice adds nothing.
  const headings = source.heading.filter((h, i) => !(i === 0 && h === source.title))
  return [source.title, ...headings].join(' › ')
}

/** The source a marker cites, when the draft has one by that number. */
export function sourceNumbered(sources: readonly DraftSource[], n: number): DraftSource | undefined {
  return sources.find((source) => source.n === n)
}

/** The sources in the order of their numbers (the core numbers them, but a saved list is shown as it reads). */
export function sortedSources(sources: readonly DraftSource[]): DraftSource[] {
  return [...sources].sort((a, b) => a.n - b.n)
}

// Passages are unwrapped by the rule the core quotes them with (the offline draft): one implementation for both.
export { unwrapPassage } from '../../../shared/passage-text'
