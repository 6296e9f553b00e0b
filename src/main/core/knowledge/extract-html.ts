// HTML to headings (h1-h6) and paragraphs. The page is parsed into a tree by node-html-parser (forgiving of
// real-world HTML, entities decoded), then walked in reading order: block elements end a paragraph, inline ones
// join it. What a reader never sees as content is dropped: scripts, styles, navigation, forms' hidden parts.
import { type HTMLElement, type Node, NodeType, parse } from 'node-html-parser'
import { BlockWriter, collapse, type ExtractedDocument, firstH1 } from './blocks'

const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'head',
  'svg',
  'canvas',
  'iframe',
  'object',
  'button',
  'select',
  'datalist',
])
const HEADING = /^h([1-6])$/
// Elements that start a new line of text; anything else (a, strong, span, code...) flows inside a paragraph.
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
])

// Block elements inside a list or a table end a line, not the paragraph: a list stays together with its items.
const LINE_ONLY = new Set(['li', 'dt', 'dd', 'tr'])

const tagOf = (element: HTMLElement): string => (element.rawTagName ?? '').toLowerCase()
const isHidden = (element: HTMLElement): boolean =>
  element.getAttribute('hidden') !== undefined || element.getAttribute('aria-hidden') === 'true' || element.getAttribute('role') === 'navigation'

export function extractHtml(source: string): ExtractedDocument {
  // The parser keeps a doctype as text; it is not content.
  const root = parse(source.replace(/<!doctype[^>]*>/gi, ''), {
    comment: false,
    blockTextElements: { script: true, style: true, noscript: true, pre: true },
  })
  const out = new BlockWriter()
  let line = ''
  let lines: string[] = []

  const endLine = (): void => {
    const text = collapse(line)
    if (text) lines.push(text)
    line = ''
  }
  // A paragraph is the lines since the last heading or paragraph break; list items and table rows stay one line each.
  const endParagraph = (): void => {
    endLine()
    if (lines.length > 0) out.paragraph(lines.join('\n'))
    lines = []
  }

  const walk = (node: Node): void => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      line += node.text
      return
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return
    const element = node as HTMLElement
    const tag = tagOf(element)
    if (DROPPED.has(tag) || isHidden(element)) return
    const heading = tag.match(HEADING)
    if (heading) {
      endParagraph()
      out.heading(Number(heading[1]), element.text)
      return
    }
    if (tag === 'br') {
      endLine()
      return
    }
    const breakBlock = !BLOCK.has(tag) ? undefined : LINE_ONLY.has(tag) ? endLine : endParagraph
    breakBlock?.()
    if (tag === 'li') line += '- '
    for (const child of element.childNodes) walk(child)
    // Cells are inline, so a table row reads as one line; the space keeps neighbouring cells' words apart.
    if (tag === 'td' || tag === 'th') line += ' '
    breakBlock?.()
  }
  walk(root)
  endParagraph()

  const titleElement = root.querySelector('title')
  const title = firstH1(out.blocks) ?? (titleElement ? collapse(titleElement.text) || null : null)
  return { title, blocks: out.blocks }
}
