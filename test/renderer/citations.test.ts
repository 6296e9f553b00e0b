// Citation markers in drafts: found only in text, rendered as buttons only for sources the draft has, and never
// made from markup in the reply itself.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import Markdown from 'react-markdown'
import { describe, expect, it } from 'vitest'
import type { DraftSource } from '../../src/shared/knowledge'
import { CitationContext } from '../../src/renderer/src/markdown/citation-context'
import { citedNumbers, splitCitations } from '../../src/renderer/src/markdown/citations'
import { markdownOptions } from '../../src/renderer/src/markdown/markdown-options'
import { sortedSources, sourceNumbered, sourceTitle, unwrapPassage } from '../../src/renderer/src/state/draft-sources'

const source = (n: number, overrides: Partial<DraftSource> = {}): DraftSource => ({
  n,
  passageId: 100 + n,
  path: `policies/doc-${n}.md`,
  title: `Document ${n}`,
  heading: [`Document ${n}`, `Section ${n}`],
  text: `Passage ${n}.`,
  ...overrides,
})

const render = (text: string, sources: DraftSource[] | null): string => {
  const markdown = createElement(Markdown, markdownOptions, text)
  return renderToStaticMarkup(sources ? createElement(CitationContext.Provider, { value: { sources, open: () => {} } }, markdown) : markdown)
}

describe('splitCitations', () => {
  it('cuts text into plain parts and cited numbers', () => {
    expect(splitCitations('Returns take 30 days [1]. Refunds go to the card [2][3].')).toEqual([
      'Returns take 30 days ',
      { n: 1 },
      '. Refunds go to the card ',
      { n: 2 },
      { n: 3 },
      '.',
    ])
  })

  it('reads a list marker as one citation per number', () => {
    expect(splitCitations('See [1, 3] and [2,4].')).toEqual(['See ', { n: 1 }, { n: 3 }, ' and ', { n: 2 }, { n: 4 }, '.'])
  })

  it('leaves brackets that are not citations alone', () => {
    for (const text of ['In [2024] we', 'item [0]', '[a]', '[1', 'array[]', '[ 1 ]x', 'no brackets']) {
      const parts = splitCitations(text)
      expect(
        parts.every((p) => typeof p === 'string'),
        text,
      ).toBe(true)
      expect(parts.join(''), text).toBe(text)
    }
  })

  it('lists the numbers a text cites, once each, in order', () => {
    expect(citedNumbers('[2] then [1, 2] and [3][2]')).toEqual([2, 1, 3])
    expect(citedNumbers('nothing cited')).toEqual([])
  })
})

describe('citation buttons in rendered Markdown', () => {
  it('turns a marker of a known source into a button named for its document and heading', () => {
    const html = render('You have 30 days to return it [1].', [source(1)])
    expect(html).toContain(
      '<button type="button" class="md-citation" aria-label="Source 1: Document 1 › Section 1" title="Source 1: Document 1 › Section 1" data-testid="citation" data-citation="1">[1]</button>',
    )
    expect(html).toMatch(/^<p>You have 30 days to return it <button[^>]*>\[1\]<\/button>\.<\/p>$/)
  })

  it('keeps markers as text without sources (the transcript) or for a number the draft does not have', () => {
    expect(render('Thirty days [1].', null)).toBe('<p>Thirty days [1].</p>')
    expect(render('Thirty days [2].', [source(1)])).toBe('<p>Thirty days [2].</p>')
  })

  it('finds markers inside emphasis, lists and tables, but not in code or links', () => {
    const html = render('*Returns [1]*\n\n- item [2]\n\n`code [1]`\n\n[link [1]](https://example.com)\n\n| a |\n|---|\n| cell [2] |', [
      source(1),
      source(2),
    ])
    expect(html).toContain('<em>Returns <button')
    expect(html).toContain('<li>item <button')
    expect(html).toContain('<td>cell <button')
    expect(html).toContain('<code>code [1]</code>')
    expect(html).toContain('>link [1]</a>')
    expect(html.match(/<button/g)).toHaveLength(3)
  })

  it('never makes a button from markup in the reply', () => {
    const html = render('<button data-citation="1" onclick="x()">[1]</button>', [source(1)])
    expect(html).not.toContain('onclick="')
    expect(html).toContain('&lt;button')
  })
})

describe('source names', () => {
  it('names a source by its title and the headings above the passage', () => {
    expect(sourceTitle(source(1))).toBe('Document 1 › Section 1')
    expect(sourceTitle({ title: 'Gift cards', heading: [] })).toBe('Gift cards')
    expect(sourceTitle({ title: 'Warranty', heading: ['Claims', 'What we need'] })).toBe('Warranty › Claims › What we need')
  })

  it('finds a source by its number and lists them in order', () => {
    const sources = [source(2), source(1)]
    expect(sourceNumbered(sources, 2)?.passageId).toBe(102)
    expect(sourceNumbered(sources, 3)).toBeUndefined()
    expect(sortedSources(sources).map((s) => s.n)).toEqual([1, 2])
  })
})

describe('passage text for reading', () => {
  it('joins the hard-wrapped lines of a paragraph and keeps paragraph breaks', () => {
    expect(
      unwrapPassage('Hiking boots fit true to size.\nIf your toes touch the front,\n  go up half a size.\n\nWide-fit models are marked W.'),
    ).toBe('Hiking boots fit true to size. If your toes touch the front, go up half a size.\n\nWide-fit models are marked W.')
  })

  it('keeps list items, headings, tables and quotes on their own lines', () => {
    const text = 'What we need:\n- the order number\n- a photo\n1. first\n2) second\n# Heading\n| a | b |\n> quoted'
    expect(unwrapPassage(text)).toBe(text)
    expect(unwrapPassage('one\r\ntwo')).toBe('one two')
  })
})
