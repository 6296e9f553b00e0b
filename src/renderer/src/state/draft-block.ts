// Why the agent cannot ask for a draft right now, said where the Draft button is. Pure: unit-tested under Node.
import type { Message } from '../../../shared/domain'

export interface DraftBlock {
  reason: string
  /** Settings is where to fix it (the button offers to open them). */
  settings: boolean
}

/** Whether the transcript has words for Gemini to answer: a customer message or an agent reply with text. */
export function hasSomethingToAnswer(messages: readonly Pick<Message, 'role' | 'text'>[]): boolean {
  return messages.some((m) => (m.role === 'customer' || m.role === 'agent') && m.text.trim() !== '')
}

/** `answerable` is null while the transcript is still loading (nothing is said about it then). */
export function draftBlock(hasApiKey: boolean, answerable: boolean | null): DraftBlock | null {
  if (!hasApiKey) return { reason: 'Add a Gemini API key in Settings to draft replies.', settings: true }
  if (answerable === false) return { reason: 'Add the customer’s message first.', settings: false }
  return null
}
