// The reply editor's snippet picker: where it was opened (a `/` at the start of a word, or the shortcut at the
// cursor), what the agent has typed since, which snippets match, and the text once one is chosen.
// Pure: unit-tested under Node.
import type { Snippet } from '../../../shared/steering'

/** Where the picker was opened in the text: `start` is the `/` (slash) or the cursor (shortcut). */
export interface PickerAnchor {
  start: number
  slash: boolean
}

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char)

/**
 * The `/` the cursor is in the word of, when that word starts with it ("Thanks /ref|" or "/|" at the start of a
 * line), or null. A slash inside a word ("and/or", a URL) is not one.
 */
export function slashAnchor(text: string, cursor: number): PickerAnchor | null {
  let i = cursor
  while (i > 0 && !isSpace(text[i - 1]) && text[i - 1] !== '/') i--
  if (i === 0 || text[i - 1] !== '/') return null
  const slash = i - 1
  if (slash > 0 && !isSpace(text[slash - 1])) return null
  return { start: slash, slash: true }
}

/** What was typed after the anchor, or null when the picker no longer applies (the cursor left the word). */
export function pickerQuery(text: string, cursor: number, anchor: PickerAnchor): string | null {
  const from = anchor.start + (anchor.slash ? 1 : 0)
  if (cursor < from) return null
  if (anchor.slash && text[anchor.start] !== '/') return null
  const typed = text.slice(from, cursor)
  return /\s/.test(typed) ? null : typed
}

/**
 * The snippets matching a query, best first: shortcut equal, then shortcut or title starting with it, then
 * containing it anywhere (title or body). An empty query lists them all by title.
 */
export function filterSnippets(snippets: readonly Snippet[], query: string, limit = 8): Snippet[] {
  const q = query.trim().toLowerCase()
  const byTitle = (a: Snippet, b: Snippet): number => a.title.localeCompare(b.title)
  if (q === '') return [...snippets].sort(byTitle).slice(0, limit)
  const rank = (s: Snippet): number => {
    const shortcut = s.shortcut?.toLowerCase() ?? ''
    const title = s.title.toLowerCase()
    if (shortcut === q) return 0
    if (shortcut.startsWith(q) || title.startsWith(q)) return 1
    if (shortcut.includes(q) || title.includes(q)) return 2
    if (s.body.toLowerCase().includes(q)) return 3
    return -1
  }
  return snippets
    .map((s) => ({ s, r: rank(s) }))
    .filter(({ r }) => r >= 0)
    .sort((a, b) => a.r - b.r || byTitle(a.s, b.s))
    .slice(0, limit)
    .map(({ s }) => s)
}

/** The option ↑/↓/Home/End move to in a list of `count` (wrapping at the ends), or null for any other key. */
export function movePickerIndex(index: number, count: number, key: string): number | null {
  if (count === 0) return null
  switch (key) {
    case 'ArrowDown':
      return (index + 1) % count
    case 'ArrowUp':
      return (index - 1 + count) % count
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}

/** The text with `start..end` replaced by `insertion`, and where the inserted text begins. */
export function replaceRange(text: string, start: number, end: number, insertion: string): { text: string; insertedAt: number } {
  return { text: text.slice(0, start) + insertion + text.slice(end), insertedAt: start }
}
