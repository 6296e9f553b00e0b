// Placeholders in a snippet's body ({customer_name}, {agent_name}, {conversation_title}) filled with what the
// console knows. One it does not know stays in the text, and the first of those is returned so the editor can
// select it for the agent to type over. Pure: unit-tested under Node.

/** The placeholders the console fills, with what each stands for (shown in the Snippets dialog). */
export const PLACEHOLDERS = {
  customer_name: 'the customer’s name',
  agent_name: 'your name',
  conversation_title: 'the conversation’s title',
} as const

export type PlaceholderName = keyof typeof PLACEHOLDERS

/** What is known now; null or missing (or only spaces) means unknown. */
export type PlaceholderValues = Partial<Record<PlaceholderName, string | null>>

export interface FilledSnippet {
  text: string
  /** The first placeholder left in the text (unknown, or not one the console knows), as offsets into `text`. */
  unfilled: { start: number; end: number } | null
}

// `{name}`: lower-case letters, digits and underscores, as the placeholders above are written.
const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g

const isKnownName = (name: string): name is PlaceholderName => Object.hasOwn(PLACEHOLDERS, name)

export function fillPlaceholders(body: string, values: PlaceholderValues): FilledSnippet {
  let text = ''
  let unfilled: FilledSnippet['unfilled'] = null
  let last = 0
  for (const match of body.matchAll(PLACEHOLDER)) {
    const [whole, name] = match as RegExpMatchArray & [string, string]
    text += body.slice(last, match.index)
    last = match.index + whole.length
    const value = isKnownName(name) ? values[name]?.trim() : undefined
    if (value) {
      text += value
      continue
    }
    if (!unfilled) unfilled = { start: text.length, end: text.length + whole.length }
    text += whole
  }
  text += body.slice(last)
  return { text, unfilled }
}
