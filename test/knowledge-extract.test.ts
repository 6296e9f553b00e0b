// Extraction, passage splitting and query construction of the knowledge base, on documents written here (and a
// PDF made by test/helpers/make-pdf.ts), so each rule can be seen next to the input that exercises it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatOf } from '../src/main/core/knowledge/blocks'
import { decodeText, extractDocument, UnreadableDocumentError } from '../src/main/core/knowledge/extract'
import { extractHtml } from '../src/main/core/knowledge/extract-html'
import { extractMarkdown } from '../src/main/core/knowledge/extract-markdown'
import { extractPlainText } from '../src/main/core/knowledge/extract-plain-text'
import { MAX_WORDS, MIN_WORDS, splitPassages } from '../src/main/core/knowledge/passages'
import { queryTerms, toMatchExpression } from '../src/main/core/knowledge/query'
import { makePdf, WARRANTY_CARD } from './helpers/make-pdf'

const FIXTURES = join(import.meta.dirname, 'fixtures', 'knowledge-base')
const headingsOf = (blocks: ReturnType<typeof extractMarkdown>['blocks']): string[] =>
  blocks.filter((b) => b.kind === 'heading').map((b) => (b.kind === 'heading' ? `${b.level} ${b.text}` : ''))
const sentence = (n: number, word = 'word'): string => `${Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ')}.`

describe('formats', () => {
  it('knows the supported extensions, in any case, and nothing else', () => {
    expect(['a.md', 'b.MARKDOWN', 'c.txt', 'd.html', 'e.HTM', 'f.pdf'].map(formatOf)).toEqual(['markdown', 'markdown', 'text', 'html', 'html', 'pdf'])
    expect(['g.docx', 'h', 'i.md.bak', '.md'].map(formatOf)).toEqual([undefined, undefined, undefined, 'markdown'])
  })
})

describe('Markdown', () => {
  it('finds ATX and setext headings, skips front matter and keeps # lines in code', () => {
    const source = [
      '---',
      'title: ignored',
      '---',
      '# Returns **policy**',
      '',
      'Intro text.',
      '',
      'Return window',
      '-------------',
      'Thirty days.',
      '',
      '```sh',
      '# not a heading',
      '```',
      '### Deep [link](https://example.com) ###',
      'Body.',
    ].join('\n')
    const doc = extractMarkdown(source)
    expect(doc.title).toBe('Returns policy')
    expect(headingsOf(doc.blocks)).toEqual(['1 Returns policy', '2 Return window', '3 Deep link'])
    // Every paragraph's offsets point at exactly its text in the file.
    for (const block of doc.blocks.filter((b) => b.kind === 'paragraph')) expect(source.slice(block.start, block.end)).toBe(block.text)
    expect(doc.blocks.some((b) => b.kind === 'paragraph' && b.text.includes('# not a heading'))).toBe(true)
  })
})

describe('plain text', () => {
  it('reads an ALL-CAPS line as a heading, and a short line followed by a paragraph', () => {
    const source =
      'GIFT CARDS\n\nValidity\nGift cards are valid for 3 years.\n\nLost cards\n\nWe can resend an e-mail gift card to the original address.\n\nThis line ends a sentence.\nAnd goes on.\n'
    const doc = extractPlainText(source)
    expect(doc.title).toBe('GIFT CARDS')
    expect(headingsOf(doc.blocks)).toEqual(['1 GIFT CARDS', '2 Validity', '2 Lost cards'])
    const paragraphs = doc.blocks.filter((b) => b.kind === 'paragraph')
    expect(paragraphs.map((p) => p.text)).toEqual([
      'Gift cards are valid for 3 years.',
      'We can resend an e-mail gift card to the original address.',
      'This line ends a sentence.\nAnd goes on.',
    ])
    for (const block of paragraphs) expect(source.slice(block.start, block.end)).toBe(block.text)
  })

  it('refuses binary junk and reads Windows-1252 text', () => {
    expect(() => decodeText(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14]))).toThrow(UnreadableDocumentError)
    expect(() => decodeText(Uint8Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x07 : 0x41)))).toThrow(/not a text file/)
    expect(decodeText(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]))).toBe('café')
    expect(decodeText(new TextEncoder().encode('\ufeffcafé'))).toBe('café')
  })
})

describe('HTML', () => {
  it('keeps h1-h6 as headings, drops scripts, styles and navigation, and decodes entities', () => {
    const doc = extractHtml(`<!doctype html><html><head><title>Page title</title><style>p{color:red}</style></head><body>
      <nav><a href="/">Home</a> | <a href="/help">Help</a></nav>
      <div role="navigation">Skip me</div>
      <h2>Delivery &amp; costs</h2><p>Free over <b>50&nbsp;EUR</b>.</p>
      <ul><li>UK: 14.95 EUR</li><li>US: 24.95 EUR</li></ul>
      <h6>Small print</h6><p>Line one<br>line two</p>
      <script>console.log('tracking')</script><noscript>Enable JS</noscript></body></html>`)
    expect(doc.title).toBe('Page title') // no h1: the <title>
    expect(headingsOf(doc.blocks)).toEqual(['2 Delivery & costs', '6 Small print'])
    const text = doc.blocks.map((b) => b.text).join('\n')
    expect(text).not.toMatch(/Home|Skip me|tracking|color|Enable JS/)
    expect(doc.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text)).toEqual([
      'Free over 50 EUR.', // the no-break space reads as a space
      '- UK: 14.95 EUR\n- US: 24.95 EUR',
      'Line one\nline two',
    ])
  })

  it('reads the fixture page with its h1 as the title', async () => {
    const doc = await extractDocument('html', readFileSync(join(FIXTURES, 'policies', 'international-shipping.html')))
    expect(doc.title).toBe('International shipping')
    expect(splitPassages(doc.blocks).map((p) => p.headingPath)).toEqual([
      ['International shipping', 'Countries we ship to'],
      ['International shipping', 'Customs duties and taxes'],
      ['International shipping', 'Delivery times abroad'],
      ['International shipping', 'International delivery costs'],
    ])
  })
})

describe('PDF', () => {
  it('rebuilds headings (by font size), paragraphs and pages from the layout', async () => {
    const doc = await extractDocument('pdf', makePdf(WARRANTY_CARD))
    expect(doc.title).toBe('Warranty card')
    const passages = splitPassages(doc.blocks)
    expect(passages.map((p) => [p.headingPath.join(' > '), p.page])).toEqual([
      ['Warranty card', 1],
      ['Warranty card > Registering your product', 1],
      ['Warranty card > Serial number and label', 1],
      ['Warranty card > Sending a product in for inspection', 2],
      ['Warranty card > Transferring the warranty to a new owner', 2],
    ])
    // Lines wrapped by the layout are one paragraph again.
    expect(passages[1]?.text).toMatch(/^Register the product within 60 days .* adds the extra year\.$/)
  })

  it('the committed fixture PDF is the one make-pdf.ts writes', () => {
    expect(readFileSync(join(FIXTURES, 'forms', 'warranty-card.pdf')).equals(makePdf(WARRANTY_CARD))).toBe(true)
  })

  it('says why a damaged PDF or one without text cannot be read', async () => {
    await expect(extractDocument('pdf', new TextEncoder().encode('%PDF-1.4\nthis is not a pdf'))).rejects.toThrow(/not a readable PDF/)
    await expect(extractDocument('pdf', makePdf({ pages: [[]] }))).rejects.toThrow(/no text found/)
  })
})

describe('passages', () => {
  it('carry their heading path, and a new heading closes deeper ones', () => {
    const doc = extractMarkdown('Preface.\n\n# A\nText a.\n## B\nText b.\n### C\nText c.\n## D\nText d.\n# E\nText e.')
    expect(splitPassages(doc.blocks).map((p) => [p.ordinal, p.headingPath.join('/'), p.text])).toEqual([
      [0, '', 'Preface.'],
      [1, 'A', 'Text a.'],
      [2, 'A/B', 'Text b.'],
      [3, 'A/B/C', 'Text c.'],
      [4, 'A/D', 'Text d.'],
      [5, 'E', 'Text e.'],
    ])
  })

  it('split a long section at paragraph boundaries, within the size limits, with exact offsets', () => {
    const paragraphs = Array.from({ length: 12 }, (_, i) => sentence(90, `p${i}w`))
    const source = `# Long\n\n${paragraphs.join('\n\n')}\n`
    const passages = splitPassages(extractMarkdown(source).blocks)
    expect(passages.length).toBeGreaterThan(3)
    for (const p of passages) {
      expect(p.words).toBeLessThanOrEqual(MAX_WORDS)
      expect(p.words).toBeGreaterThanOrEqual(MIN_WORDS)
      expect(p.headingPath).toEqual(['Long'])
      expect(source.slice(p.start, p.end)).toBe(p.text)
      // Never cut inside a paragraph: each passage is whole paragraphs.
      for (const part of p.text.split('\n\n')) expect(paragraphs).toContain(part)
    }
    expect(passages.map((p) => p.text).join('\n\n')).toBe(paragraphs.join('\n\n'))
  })

  it('split a single over-long paragraph at sentences, and a merged short tail stays with what precedes it', () => {
    const text = [sentence(200, 'a'), sentence(200, 'b'), sentence(20, 'c')].join(' ')
    const passages = splitPassages(extractMarkdown(`# T\n${text}`).blocks)
    expect(passages.map((p) => p.words)).toEqual([200, 220])
    expect(passages[1]?.text.startsWith('b0')).toBe(true)
  })
})

describe('query construction', () => {
  it('lowercases, drops punctuation, stop words and numbers, and ORs the rest', () => {
    expect(
      toMatchExpression('Hi!! Can I get my BOOTS repaired, 5 weeks after buying them??', {
        operator: 'or',
        stopWords: true,
        synonyms: false,
        prefix: false,
      }),
    ).toBe('"boots" OR "repaired" OR "weeks" OR "buying"')
  })

  it('maps support words to the documents’ vocabulary, phrases with a short gap included', () => {
    const groups = queryTerms('Can I get my money back for the vouchers? I want to send them back')
    expect(groups).toContainEqual(expect.arrayContaining(['refund', 'money back']))
    expect(groups).toContainEqual(expect.arrayContaining(['voucher', 'gift card']))
    expect(groups).toContainEqual(expect.arrayContaining(['return', 'send back']))
    expect(toMatchExpression('parcel')).toBe('("parcel" OR "package" OR "delivery" OR "shipment")')
  })

  it('turns any text into a valid FTS5 query or null', async () => {
    const Database = (await import('better-sqlite3')).default
    const db = new Database(':memory:')
    db.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter unicode61 remove_diacritics 2'); INSERT INTO t VALUES ('café refunds')")
    const nasty = ['"', "don't", 'C++ (urgent) AND OR NOT', 'NEAR(a b)', 'col:val ^start', '***', '😀', '\u0000x', 'Café', 'a*b*']
    for (const text of nasty) {
      const match = toMatchExpression(text)
      if (match !== null) expect(() => db.prepare('SELECT * FROM t WHERE t MATCH ?').all(match)).not.toThrow()
    }
    expect(toMatchExpression('?? !!')).toBeNull()
    expect(db.prepare('SELECT count(*) AS n FROM t WHERE t MATCH ?').get(toMatchExpression('CAFE refund'))).toEqual({ n: 1 })
    db.close()
  })
})
