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

// A line that starts a list item, a heading, a table row or a quote keeps its own line.
const STARTS_BLOCK = /^\s*(?:[-*+]\s|\d{1,9}[.)]\s|#|\||>)/

/**
 * A passage's text for reading in a narrow box: documents are often hard-wrapped at a fixed width, and those breaks
 * would show as ragged lines. Lines of one paragraph are joined; paragraph breaks and list items stay.
 */
export function unwrapPassage(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let out = ''
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const previous = i > 0 ? (lines[i - 1] as string) : ''
    const joins = i > 0 && previous.trim() !== '' && line.trim() !== '' && !STARTS_BLOCK.test(line)
    out += i === 0 ? line : joins ? ` ${line.trimStart()}` : `\n${line}`
  }
  return out
}
