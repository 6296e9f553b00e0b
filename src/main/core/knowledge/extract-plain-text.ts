// Plain text has no markup, so headings are recognised the way a reader does: an ALL-CAPS line is a heading
// (level 1), and so is a short line that is followed by a paragraph, on the next line or after a blank one
// (level 2), as long as it does not read like the end of a sentence. Everything else is paragraphs, split at
// blank lines, with offsets into the file.
import type { Block, ExtractedDocument } from './blocks'
import { collapse, firstH1 } from './blocks'

const MAX_HEADING_CHARS = 80
const MAX_SHORT_WORDS = 10
const UNDERLINE = /^\s*(=+|-+)\s*$/

interface Line {
  text: string
  start: number
  end: number
}

const isAllCaps = (text: string): boolean => /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text) && text.length <= MAX_HEADING_CHARS

// Short, starting like a title, and not ending like a sentence or a list entry ('?' is allowed: FAQ headings).
const isShort = (text: string): boolean =>
  text.length <= MAX_HEADING_CHARS && text.split(/\s+/).length <= MAX_SHORT_WORDS && /^[\p{Lu}\p{N}]/u.test(text) && !/[.,;:!)\]]$/.test(text)

/** Lines grouped into blank-line separated blocks. */
function paragraphsOf(source: string): Line[][] {
  const groups: Line[][] = []
  let current: Line[] = []
  let offset = 0
  while (offset <= source.length) {
    const newline = source.indexOf('\n', offset)
    const lineEnd = newline < 0 ? source.length : newline
    const text = source.slice(offset, lineEnd).replace(/\r$/, '')
    if (text.trim() === '') {
      if (current.length > 0) groups.push(current)
      current = []
    } else current.push({ text: text.trimEnd(), start: offset, end: offset + text.trimEnd().length })
    if (newline < 0) break
    offset = lineEnd + 1
  }
  if (current.length > 0) groups.push(current)
  return groups
}

export function extractPlainText(source: string): ExtractedDocument {
  const blocks: Block[] = []
  const groups = paragraphsOf(source)
  const paragraph = (lines: Line[]): void => {
    const first = lines[0]
    const last = lines.at(-1)
    if (first && last) blocks.push({ kind: 'paragraph', text: source.slice(first.start, last.end), start: first.start, end: last.end })
  }

  groups.forEach((group, i) => {
    let lines = group
    // Lines underlined with === or --- are headings too, as in Markdown's setext style.
    while (lines.length >= 2 && UNDERLINE.test((lines[1] as Line).text)) {
      const title = lines[0] as Line
      blocks.push({
        kind: 'heading',
        level: (lines[1] as Line).text.trim().startsWith('=') ? 1 : 2,
        text: collapse(title.text),
        start: title.start,
        end: (lines[1] as Line).end,
      })
      lines = lines.slice(2)
    }
    const first = lines[0]
    if (!first) return
    const text = collapse(first.text)
    const followedByParagraph = lines.length > 1 || (groups[i + 1]?.length ?? 0) > 0
    if (isAllCaps(text)) {
      blocks.push({ kind: 'heading', level: 1, text, start: first.start, end: first.end })
      lines = lines.slice(1)
    } else if (isShort(text) && followedByParagraph && (lines.length > 1 || !isShort(collapse(groups[i + 1]?.[0]?.text ?? '')))) {
      blocks.push({ kind: 'heading', level: 2, text, start: first.start, end: first.end })
      lines = lines.slice(1)
    }
    paragraph(lines)
  })
  return { title: firstH1(blocks), blocks }
}
