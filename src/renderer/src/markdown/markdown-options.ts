// How react-markdown renders a reply (GFM: tables, strikethrough, autolinks). Safe by construction: react-markdown builds React elements from a
// syntax tree and shows raw HTML as text (no rehype-raw, nothing set as HTML), links survive only as
// http(s)/mailto and open outside the console, and images are never loaded (a tracking pixel in a reply
// would tell a third party the agent read it): they become links. Plain .ts (no JSX) so the unit tests can
// render it under Node. Citation markers ("[1]") become buttons only inside a draft panel that has those sources.
import type { Element } from 'hast'
import { createElement, Fragment, useContext, type ComponentProps } from 'react'
import type { Components, Options } from 'react-markdown'
import remarkBreaks from 'remark-breaks'
import remarkGfm from 'remark-gfm'
import { sourceNumbered, sourceTitle } from '../state/draft-sources'
import { CitationContext } from './citation-context'
import { CITATION_PROPERTY, rehypeCitations } from './citations'
import { safeHref } from './safe-url'

type AnchorProps = ComponentProps<'a'> & { node?: unknown }
type ImgProps = ComponentProps<'img'> & { node?: unknown }
type TableProps = ComponentProps<'table'> & { node?: unknown }
type CitationProps = ComponentProps<'button'> & { node?: Element }

function SafeLink({ href, children, title }: AnchorProps) {
  const target = safeHref(href)
  if (!target) return createElement('span', { className: 'md-link-text' }, children)
  return createElement('a', { href: target, title: title ?? target, target: '_blank', rel: 'noreferrer noopener' }, children)
}

function ImageAsLink({ src, alt }: ImgProps) {
  const target = typeof src === 'string' ? safeHref(src) : null
  const label = alt ? `Image: ${alt}` : 'Image'
  if (!target) return createElement('span', { className: 'md-link-text' }, `[${label}]`)
  return createElement('a', { href: target, title: target, target: '_blank', rel: 'noreferrer noopener', className: 'md-image-link' }, `[${label}]`)
}

// Wide tables scroll inside the reply instead of widening the panel.
function ScrollingTable({ node: _node, ...props }: TableProps) {
  return createElement('div', { className: 'md-table-wrap' }, createElement('table', props))
}

// Only rehypeCitations makes buttons (raw HTML in a reply is text), so every button here is a marker. It reads the
// sources from context rather than a prop: finished blocks stay memoised while the sources arrive or the dialog opens.
function CitationButton({ node, children }: CitationProps) {
  const citations = useContext(CitationContext)
  const n = Number(node?.properties[CITATION_PROPERTY])
  const source = citations ? sourceNumbered(citations.sources, n) : undefined
  if (!citations || !source) return createElement(Fragment, null, children)
  const name = `Source ${n}: ${sourceTitle(source)}`
  return createElement(
    'button',
    {
      type: 'button',
      className: 'md-citation',
      'aria-label': name,
      title: name,
      'data-testid': 'citation',
      'data-citation': n,
      onClick: () => citations.open(source),
    },
    `[${n}]`,
  )
}

const components: Components = { a: SafeLink, img: ImageAsLink, table: ScrollingTable, button: CitationButton }

/** Keeps safe URLs; others become '' so SafeLink renders their text only. */
const urlTransform = (url: string): string => safeHref(url) ?? ''

export const markdownOptions: Readonly<Omit<Options, 'children'>> = {
  // remark-breaks: a reply is a letter ("Best regards,⏎Sam"), so a line break in the text is a line break
  // on screen, as in the email the customer will get.
  remarkPlugins: [remarkGfm, remarkBreaks],
  rehypePlugins: [rehypeCitations],
  components,
  urlTransform,
  skipHtml: false,
}
