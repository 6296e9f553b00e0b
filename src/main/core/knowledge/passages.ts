// Blocks to passages, the unit that is indexed, retrieved and cited. A passage is the text under one heading,
// so it knows its heading path ("Returns policy" > "Return window") and stays about one thing; a section
// longer than MAX_WORDS is split at paragraph boundaries (at sentences only for a paragraph that is itself too
// long), and a short tail is merged back rather than left as a fragment. Short sections stay whole: a
// heading's section is the natural unit a customer question is about, so they are not merged with neighbours.
import { packInOrder } from '../../../shared/pack-in-order'
import type { Block } from './blocks'

export const MAX_WORDS = 350
/** A split-off tail shorter than this joins the part before it. */
export const MIN_WORDS = 50

export interface Passage {
  /** 0-based position in the document. */
  ordinal: number
  /** The headings above the passage, outermost first; empty for text before the first heading. */
  headingPath: string[]
  text: string
  /** Offsets in the document's text (see BlockPosition). */
  start: number
  end: number
  /** 1-based page where the passage starts, for PDFs; null otherwise. */
  page: number | null
  words: number
}

interface Unit {
  text: string
  start: number
  end: number
  page: number | null
  words: number
}

export const countWords = (text: string): number => text.split(/\s+/).filter(Boolean).length

/** Ranges of `text` at sentence ends, each with its start offset. */
function sentences(text: string): Array<{ start: number; end: number }> {
  const ranges: Array<{ start: number; end: number }> = []
  const pattern = /[^.!?]+(?:[.!?]+(?=\s|$)|$)|[.!?]+/g
  for (const m of text.matchAll(pattern)) {
    const lead = m[0].length - m[0].trimStart().length
    const body = m[0].trim()
    if (body) ranges.push({ start: (m.index ?? 0) + lead, end: (m.index ?? 0) + lead + body.length })
  }
  return ranges
}

/** A paragraph as units of at most MAX_WORDS: itself, or its sentences (a sentence over the limit, its words). */
function unitsOf(block: Block): Unit[] {
  const page = block.page ?? null
  const whole = { text: block.text, start: block.start, end: block.end, page, words: countWords(block.text) }
  if (whole.words <= MAX_WORDS) return [whole]
  return sentences(block.text).flatMap(({ start, end }) => {
    const text = block.text.slice(start, end)
    const words = countWords(text)
    if (words <= MAX_WORDS) return [{ text, start: block.start + start, end: block.start + end, page, words }]
    const pieces: Unit[] = []
    const wordPattern = /\S+/g
    let from = -1
    let to = 0
    let n = 0
    for (const w of text.matchAll(wordPattern)) {
      if (from < 0) from = w.index ?? 0
      to = (w.index ?? 0) + w[0].length
      if (++n === MAX_WORDS) {
        pieces.push({ text: text.slice(from, to), start: block.start + start + from, end: block.start + start + to, page, words: n })
        from = -1
        n = 0
      }
    }
    if (n > 0) pieces.push({ text: text.slice(from, to), start: block.start + start + from, end: block.start + start + to, page, words: n })
    return pieces
  })
}

/** Packs a section's units into chunks of at most MAX_WORDS, in order. */
function pack(units: readonly Unit[]): Unit[][] {
  const chunks = packInOrder(units, (unit) => unit.words, MAX_WORDS)
  const last = chunks.at(-1)
  const before = chunks.at(-2)
  const sum = (chunk: Unit[]): number => chunk.reduce((n, unit) => n + unit.words, 0)
  // A short tail reads better with what precedes it, even if that passes the limit by a little.
  if (last && before && sum(last) < MIN_WORDS && sum(before) + sum(last) <= MAX_WORDS + MIN_WORDS) {
    chunks.splice(-2, 2, [...before, ...last])
  }
  return chunks
}

export function splitPassages(blocks: readonly Block[]): Passage[] {
  const passages: Passage[] = []
  const headings: Array<{ level: number; text: string }> = []
  let section: Unit[] = []

  const endSection = (): void => {
    const path = headings.map((h) => h.text)
    for (const chunk of pack(section)) {
      const first = chunk[0] as Unit
      const last = chunk.at(-1) as Unit
      passages.push({
        ordinal: passages.length,
        headingPath: path,
        text: chunk.map((unit) => unit.text).join('\n\n'),
        start: first.start,
        end: last.end,
        page: first.page,
        words: chunk.reduce((n, unit) => n + unit.words, 0),
      })
    }
    section = []
  }

  for (const block of blocks) {
    if (block.kind === 'heading') {
      endSection()
      while ((headings.at(-1)?.level ?? 0) >= block.level) headings.pop()
      headings.push({ level: block.level, text: block.text })
    } else section.push(...unitsOf(block))
  }
  endSection()
  return passages
}
