// How conversations are named. One started by the agent is "New conversation" until the customer's first
// message is in; then, as for one started by an integration, the start of that message names it: that reads
// better in a list of thousands. Pure, shared by the core (which names) and the renderer (which shows).
import { AUTO_TITLE_CHARS } from './limits'

/** The title createConversation gives when none is passed (documented in SupportConsoleApi). */
export const DEFAULT_CONVERSATION_TITLE = 'New conversation'

/** The start of a message, on one line, cut at a word where it can be. */
export function titleFromMessage(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  if (line.length <= AUTO_TITLE_CHARS) return line
  const cut = line.slice(0, AUTO_TITLE_CHARS - 1)
  const atWord = cut.lastIndexOf(' ')
  return `${(atWord > AUTO_TITLE_CHARS / 2 ? cut.slice(0, atWord) : cut).trimEnd()}…`
}

/** Whether adding this first message should rename the conversation. */
export function shouldTitleFromFirstMessage(currentTitle: string, messagesBefore: number): boolean {
  return messagesBefore === 0 && currentTitle === DEFAULT_CONVERSATION_TITLE
}
