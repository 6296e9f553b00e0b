// Markdown to headings and paragraphs, with offsets into the file. Only what decides passages is parsed:
// ATX (#) and setext (=== / ---) headings, blank-line paragraphs, fenced code (whose # lines are not headings)
// and front matter (skipped). Inline syntax stays in the paragraph text, which Gemini reads as Markdown anyway;
// headings are stripped of it because they are shown as sources.
import { type Block, type ExtractedDocument, collapse, firstH1 } from './blocks'

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})/
const FRONT_MATTER = /^---[ \t]*\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/

/** Heading text without inline Markdown: links keep their text, emphasis and code marks go. */
export function plainInline(text: string): string {
  return collapse(
    text
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/(\*{1,3}|_{1,3}|`+|~~)(\S(?:.*?\S)?)\1/g, '$2'),
  )
}

export function extractMarkdown(source: string): ExtractedDocument {
  const blocks: Block[] = []
  let offset = source.match(FRONT_MATTER)?.[0].length ?? 0
  let paragraph: { start: number; end: number; lines: number } | undefined
  let fence: string | undefined

  const flush = (): void => {
    if (paragraph) {
      // Offsets point at the text itself, so a passage's text is exactly the file's slice at them.
      const raw = source.slice(paragraph.start, paragraph.end)
      const text = raw.trim()
      const start = paragraph.start + raw.length - raw.trimStart().length
      if (text) blocks.push({ kind: 'paragraph', text, start, end: start + text.length })
    }
    paragraph = undefined
  }

  while (offset < source.length) {
    const newline = source.indexOf('\n', offset)
    const lineEnd = newline < 0 ? source.length : newline
    const line = source.slice(offset, lineEnd).replace(/\r$/, '')
    const start = offset
    const end = start + line.length
    offset = lineEnd + 1

    if (fence !== undefined) {
      // Code is kept with the paragraph it is in; only its end matters here.
      if (paragraph) paragraph.end = end
      if (line.trim().startsWith(fence)) fence = undefined
      continue
    }
    const fenceOpen = line.match(FENCE)
    if (fenceOpen) {
      fence = fenceOpen[1] as string
      if (paragraph) paragraph.end = end
      else paragraph = { start, end, lines: 1 }
      continue
    }
    const atx = line.match(ATX)
    if (atx) {
      flush()
      const text = plainInline(atx[2] ?? '')
      if (text) blocks.push({ kind: 'heading', level: (atx[1] as string).length, text, start, end })
      continue
    }
    const setext = line.match(SETEXT)
    if (setext && paragraph?.lines === 1) {
      const text = plainInline(source.slice(paragraph.start, paragraph.end))
      blocks.push({ kind: 'heading', level: (setext[1] as string).startsWith('=') ? 1 : 2, text, start: paragraph.start, end })
      paragraph = undefined
      continue
    }
    if (line.trim() === '') {
      flush()
      continue
    }
    if (paragraph) {
      paragraph.end = end
      paragraph.lines++
    } else paragraph = { start, end, lines: 1 }
  }
  flush()
  return { title: firstH1(blocks), blocks }
}
