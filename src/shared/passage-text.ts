// A knowledge-base passage's text as it is read, shared by the core (the offline draft quotes its sentences) and
// the renderer (the passage dialog and the Settings search show it): one rule for where its lines really break.

// A line that starts a list item, a heading, a table row or a quote keeps its own line.
const STARTS_BLOCK = /^\s*(?:[-*+•]\s|\d{1,9}[.)]\s|#|\||>)/

/**
 * A passage's text without its hard wraps: documents are often wrapped at a fixed width, and those breaks are not
 * the author's (they would show as ragged lines, and cut sentences in two). Lines of one paragraph are joined;
 * blank lines (paragraph breaks) and lines that start a list item, heading, table row or quote stay.
 */
export function unwrapPassage(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let out = ''
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const previous = i > 0 ? (lines[i - 1] as string) : ''
    const joins = i > 0 && previous.trim() !== '' && line.trim() !== '' && !STARTS_BLOCK.test(line)
    out += i === 0 ? line : joins ? ` ${line.trimStart()}` : `\n${line}`
  }
  return out
}
