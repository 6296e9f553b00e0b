// PDF to headings and paragraphs through unpdf (PDF.js built for servers: pure JavaScript, no canvas or native
// addon needed for text). A PDF has no paragraphs or headings, only positioned runs of text, so they are
// rebuilt from the layout: runs on one baseline make a line, a gap wider than the line spacing or a new page
// starts a paragraph, and a line set clearly larger than the body text is a heading (the largest size level 1).
import { extractTextItems, getDocumentProxy, getMeta } from 'unpdf'
import { BlockWriter, collapse, type ExtractedDocument, firstH1 } from './blocks'

type TextItem = Awaited<ReturnType<typeof extractTextItems>>['items'][number][number]

interface Line {
  text: string
  size: number
  y: number
  page: number
}

const HEADING_RATIO = 1.15
const MAX_HEADING_CHARS = 120
// Baseline-to-baseline distance, in font sizes, above which the next line starts a new paragraph.
const PARAGRAPH_GAP = 1.6

/** Thrown for a file PDF.js cannot parse; the message says why in the reader's words. */
export class PdfReadError extends Error {}

function linesOf(items: readonly TextItem[], page: number): Line[] {
  const lines: Line[] = []
  let current: Line | undefined
  let lastEnd = 0
  const end = (): void => {
    if (current && current.text.trim()) lines.push({ ...current, text: collapse(current.text) })
    current = undefined
  }
  for (const item of items) {
    if (current && Math.abs(item.y - current.y) > Math.max(1, current.size * 0.3)) end()
    if (item.str !== '') {
      if (!current) current = { text: '', size: item.fontSize, y: item.y, page }
      // Runs placed apart on one line are words apart, even when the PDF wrote no space between them.
      else if (item.x - lastEnd > item.fontSize * 0.2 && !/\s$/.test(current.text) && !/^\s/.test(item.str)) current.text += ' '
      current.text += item.str
      current.size = Math.max(current.size, item.fontSize)
      lastEnd = item.x + item.width
    }
    if (item.hasEOL) end()
  }
  end()
  return lines
}

/** The most common font size, counted by characters: the body text's size. */
function bodySize(lines: readonly Line[]): number {
  const chars = new Map<number, number>()
  for (const line of lines) chars.set(Math.round(line.size * 2) / 2, (chars.get(Math.round(line.size * 2) / 2) ?? 0) + line.text.length)
  return [...chars].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0
}

// A word broken with a hyphen at the end of a line is joined again; other lines join with a space.
const joinLines = (lines: readonly string[]): string =>
  lines.reduce((text, line) => (/\p{L}-$/u.test(text) && /^\p{Ll}/u.test(line) ? text.slice(0, -1) + line : `${text} ${line}`))

export async function extractPdf(bytes: Uint8Array): Promise<ExtractedDocument> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given, so it gets a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, stopAtErrors: false })
  } catch (error) {
    throw new PdfReadError(`not a readable PDF (${error instanceof Error ? error.message : String(error)})`, { cause: error })
  }
  try {
    const { items } = await extractTextItems(pdf)
    const lines = items.flatMap((pageItems, i) => linesOf(pageItems, i + 1))
    const body = bodySize(lines)
    const isHeading = (line: Line): boolean => line.size >= body * HEADING_RATIO && line.text.length <= MAX_HEADING_CHARS
    const headingSizes = [...new Set(lines.filter(isHeading).map((line) => line.size))].sort((a, b) => b - a)

    const out = new BlockWriter()
    let paragraph: Line[] = []
    let heading: Line[] = []
    const endParagraph = (): void => {
      const first = paragraph[0]
      if (first) out.paragraph(joinLines(paragraph.map((line) => line.text)), first.page)
      paragraph = []
    }
    const endHeading = (): void => {
      const first = heading[0]
      if (first) out.heading(Math.min(6, headingSizes.indexOf(first.size) + 1), heading.map((line) => line.text).join(' '), first.page)
      heading = []
    }
    let previous: Line | undefined
    for (const line of lines) {
      const gap = previous && previous.page === line.page ? previous.y - line.y : Infinity
      if (isHeading(line)) {
        endParagraph()
        // A heading wrapped over two lines is one heading.
        if (heading.length > 0 && (heading[0] as Line).size !== line.size) endHeading()
        if (heading.length > 0 && gap > line.size * PARAGRAPH_GAP) endHeading()
        heading.push(line)
      } else {
        endHeading()
        if (paragraph.length > 0 && (gap > Math.max(line.size, previous?.size ?? 0) * PARAGRAPH_GAP || gap < 0)) endParagraph()
        paragraph.push(line)
      }
      previous = line
    }
    endHeading()
    endParagraph()

    const meta = await getMeta(pdf).catch(() => undefined)
    const metaTitle: unknown = meta?.info?.['Title']
    const title = firstH1(out.blocks) ?? (typeof metaTitle === 'string' && metaTitle.trim() ? collapse(metaTitle) : null)
    return { title, blocks: out.blocks }
  } finally {
    await pdf.destroy()
  }
}
