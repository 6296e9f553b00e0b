// Citation markers in a grounded draft ("…within 30 days [1]." or "[2, 3]"), found in the rendered text and turned
// into buttons that open the cited passage. Done on the HTML syntax tree (a rehype step), after Markdown has been
// parsed: a marker is only ever found in text (never in code, a link, or raw HTML, which stays text), and what
// becomes a button is an element built here, never markup from the reply. Pure: unit-tested under Node.
import type { Element, ElementContent, Root, RootContent } from 'hast'

/** The element a marker becomes; rendered by CitationButton (markdown-options.ts). Markdown never makes buttons itself. */
export const CITATION_TAG = 'button'
/** The hast property that carries the cited number (rendered as `data-citation`). */
export const CITATION_PROPERTY = 'dataCitation'

// One to three digits, alone or as a comma-separated list, in square brackets. Longer numbers are not citations
// ("[2024]" is a year), and "[0]" never is: sources count from 1.
const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g

export type CitationPart = string | { n: number }

/** The text cut into plain parts and cited numbers, in order; a list marker ("[1, 2]") gives one part per number. */
export function splitCitations(text: string): CitationPart[] {
  const parts: CitationPart[] = []
  let last = 0
  for (const match of text.matchAll(MARKER)) {
    const numbers = (match[1] as string).split(',').map((n) => Number(n.trim()))
    if (numbers.some((n) => n < 1)) continue
    if (match.index > last) parts.push(text.slice(last, match.index))
    for (const n of numbers) parts.push({ n })
    last = match.index + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return parts
}

/** The numbers a text cites, each once, in the order they first appear. */
export function citedNumbers(text: string): number[] {
  const seen = new Set<number>()
  for (const part of splitCitations(text)) if (typeof part !== 'string') seen.add(part.n)
  return [...seen]
}

// Inside these, brackets are what the reply says, not citations.
const LEAVE_ALONE = new Set(['code', 'pre', 'a', 'kbd', 'samp'])

const citationElement = (n: number): Element => ({
  type: 'element',
  tagName: CITATION_TAG,
  properties: { [CITATION_PROPERTY]: n },
  children: [{ type: 'text', value: `[${n}]` }],
})

function withCitations<T extends RootContent | ElementContent>(children: T[]): T[] {
  let changed = false
  const next: T[] = []
  for (const child of children) {
    if (child.type === 'text' && child.value.includes('[')) {
      const parts = splitCitations(child.value)
      if (parts.some((p) => typeof p !== 'string')) {
        changed = true
        for (const part of parts) next.push((typeof part === 'string' ? { type: 'text', value: part } : citationElement(part.n)) as T)
        continue
      }
    }
    if (child.type === 'element' && !LEAVE_ALONE.has(child.tagName)) child.children = withCitations(child.children)
    next.push(child)
  }
  return changed ? next : children
}

/** The rehype step: every marker in the tree's text becomes a citation element. */
export function rehypeCitations() {
  return (tree: Root): void => {
    tree.children = withCitations(tree.children)
  }
}
