// Search snippets mark each match between HIT_START and HIT_END. They are split here into plain pieces the
// UI renders as text and <mark>, so nothing a customer wrote is ever parsed as markup. Pure.
import { HIT_END, HIT_START } from '../../../shared/search-markers'

export interface SnippetPart {
  text: string
  hit: boolean
}

export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = []
  let hit = false
  let text = ''
  const push = (): void => {
    if (text === '') return
    const last = parts[parts.length - 1]
    if (last && last.hit === hit) last.text += text
    else parts.push({ text, hit })
    text = ''
  }
  for (const char of snippet) {
    if (char === HIT_START || char === HIT_END) {
      push()
      // A stray marker (cut off by the snippet window) must not leave the rest highlighted or show up.
      hit = char === HIT_START
      continue
    }
    text += char
  }
  push()
  return parts
}
