// Renders replies through the console's Markdown setup (react-markdown + our options) under Node, to prove
// that nothing in a reply becomes live HTML and that only web and mail links survive.
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import Markdown from 'react-markdown'
import { describe, expect, it } from 'vitest'
import { markdownOptions } from '../../src/renderer/src/markdown/markdown-options'

const render = (text: string): string => renderToStaticMarkup(createElement(Markdown, markdownOptions, text))

describe('Markdown rendering', () => {
  it('renders lists, code blocks, emphasis and tables', () => {
    const html = render('Steps:\n\n1. **Open** *Settings*\n2. Run `reset`\n\n```sh\nnpm start\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |')
    expect(html).toContain('<ol>')
    expect(html).toContain('<strong>Open</strong>')
    expect(html).toContain('<em>Settings</em>')
    expect(html).toContain('<code>reset</code>')
    expect(html).toContain('<pre><code class="language-sh">npm start\n</code></pre>')
    expect(html).toContain('<div class="md-table-wrap"><table>')
  })

  it('shows raw HTML as text, never as elements', () => {
    const html = render(
      'Hi <script>alert(1)</script> <img src=x onerror="alert(1)">\n\n<div onclick="x()">block</div>\n\n<iframe src="https://evil.example"></iframe>',
    )
    expect(html).not.toMatch(/<script|<img|<div onclick|<iframe/)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;iframe')
  })

  it('keeps http(s) and mailto links, opening outside the console', () => {
    const html = render('[help](https://example.com/help) and <mailto:a@example.com> and www.example.org')
    expect(html).toContain('<a href="https://example.com/help" title="https://example.com/help" target="_blank" rel="noreferrer noopener">help</a>')
    expect(html).toContain('href="mailto:a@example.com"')
    expect(html).toContain('href="http://www.example.org/"')
  })

  it('turns other links into their text', () => {
    const html = render('[click](javascript:alert(1)) [data](data:text/html,x) [rel](/settings) [frag](#x) [ref][r]\n\n[r]: vbscript:x')
    expect(html).not.toContain('href=')
    expect(html).not.toMatch(/javascript|vbscript/)
    expect(html).toContain('<span class="md-link-text">click</span>')
  })

  it('never loads images: they become links (or text when unsafe)', () => {
    const html = render('![pixel](https://tracker.example/p.gif) ![bad](javascript:x)')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('preload')
    expect(html).toContain('<a href="https://tracker.example/p.gif"')
    expect(html).toContain('[Image: pixel]')
    expect(html).toContain('<span class="md-link-text">[Image: bad]</span>')
  })
})

describe('line breaks', () => {
  it('keeps a letter’s line breaks', () => {
    expect(render('Best regards,\nThe Support Team')).toBe('<p>Best regards,<br/>\nThe Support Team</p>')
  })
})
