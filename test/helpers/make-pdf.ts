// Writes a small, valid text PDF: one or more pages of headings and paragraphs in the standard Type1 fonts
// (Helvetica, Helvetica-Bold), which every PDF reader has built in, so the file needs no embedded font.
// Used to make the PDF in the knowledge-base fixtures and PDFs with known content in the indexing tests.
//
//   node --import tsx test/helpers/make-pdf.ts   rewrites test/fixtures/knowledge-base/forms/warranty-card.pdf
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type PdfBlock = { heading: string; level?: 1 | 2 } | { paragraph: string }

export interface PdfDocument {
  title?: string
  /** Each page's blocks, top to bottom. */
  pages: PdfBlock[][]
}

const PAGE_WIDTH = 595 // A4 in points
const PAGE_HEIGHT = 842
const MARGIN = 56
const BODY_SIZE = 10.5
// Helvetica averages about half an em per character; wrapping by count keeps the generator free of font metrics.
const charsPerLine = (size: number): number => Math.floor((PAGE_WIDTH - 2 * MARGIN) / (size * 0.5))

/** Wraps text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

// A PDF literal string: backslash, parentheses escaped; only Latin-1 text is written (WinAnsiEncoding).
const literal = (text: string): string => `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`

function pageContent(blocks: PdfBlock[]): string {
  const ops: string[] = ['BT']
  let y = PAGE_HEIGHT - MARGIN
  const line = (font: 'F1' | 'F2', size: number, text: string): void => {
    y -= size * 1.4
    ops.push(`/${font} ${size} Tf 1 0 0 1 ${MARGIN} ${y.toFixed(2)} Tm ${literal(text)} Tj`)
  }
  for (const block of blocks) {
    if ('heading' in block) {
      const size = block.level === 1 ? 18 : 13.5
      y -= size * 0.6
      for (const text of wrap(block.heading, charsPerLine(size))) line('F2', size, text)
    } else {
      for (const text of wrap(block.paragraph, charsPerLine(BODY_SIZE))) line('F1', BODY_SIZE, text)
      y -= BODY_SIZE * 0.8
    }
  }
  ops.push('ET')
  return ops.join('\n')
}

/** The bytes of a PDF holding `doc`. */
export function makePdf(doc: PdfDocument): Buffer {
  const objects: string[] = [] // objects[i] is object number i + 1
  const add = (body: string): number => objects.push(body)
  const catalog = add('') // filled in once the page tree's number is known
  const pagesRef = add('')
  const regular = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>')
  const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>')
  const kids: number[] = []
  for (const blocks of doc.pages) {
    const content = pageContent(blocks)
    const stream = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`)
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
          `/Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${stream} 0 R >>`,
      ),
    )
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesRef} 0 R >>`
  objects[pagesRef - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`
  const info = doc.title === undefined ? undefined : add(`<< /Title ${literal(doc.title)} /Producer (make-pdf.ts) >>`)

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'))
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = Buffer.byteLength(out, 'latin1')
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R${info ? ` /Info ${info} 0 R` : ''} >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

/** The warranty card in the knowledge-base fixtures: a two-page PDF a shop would hand out with a product. */
export const WARRANTY_CARD: PdfDocument = {
  title: 'Warranty card',
  pages: [
    [
      { heading: 'Warranty card', level: 1 },
      {
        paragraph:
          'Keep this card with your proof of purchase. It summarises the Northwind Outfitters warranty for the product it came with; ' +
          'the full terms are in the warranty policy on our website.',
      },
      { heading: 'Registering your product' },
      {
        paragraph:
          'Register the product within 60 days of purchase by entering the serial number printed on the sewn-in label at ' +
          'northwind.example/register. Registered products get one extra year of cover on top of the standard warranty. ' +
          'You do not need to register to be covered; registration only adds the extra year.',
      },
      { heading: 'Serial number and label' },
      {
        paragraph:
          'The serial number has two letters followed by eight digits, for example NW12345678. On jackets and sleeping bags it is ' +
          'on the care label inside the left seam; on tents it is printed on the stuff sack; on the GPS watch it is engraved on the back.',
      },
    ],
    [
      { heading: 'Sending a product in for inspection' },
      {
        paragraph:
          'Clean and dry the item before you send it. Pack it with this card, or a note with your name, order number and a short ' +
          'description of the fault, and use the free inspection label from your account. Our workshop inspects every item within ' +
          '10 working days and emails you the result with photos.',
      },
      { heading: 'Transferring the warranty to a new owner' },
      {
        paragraph:
          'If you sell or give away the product, the warranty passes to the new owner for the rest of its term. Hand this card ' +
          'and the proof of purchase over with the item; the new owner does not need to register again.',
      },
    ],
  ],
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'knowledge-base', 'forms', 'warranty-card.pdf')
  writeFileSync(target, makePdf(WARRANTY_CARD))
  console.log(`wrote ${target}`)
}
