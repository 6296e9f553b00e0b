// Builds the model's view of a conversation from the transcript, instead of trusting an SDK chat session
// (which silently drops turns with empty replies). Pure, so every rule here is unit-tested.
import type { Message } from '../../../shared/domain'
import type { Turn } from '../gemini/types'

/** Asked for when the agent drafts again after having replied: the model needs a user turn last. */
export const FOLLOW_UP_PROMPT = '(The customer has not written since the last reply. Draft a short follow-up message.)'

/**
 * Customers' messages are user turns. The reply that stands for each exchange is the agent's message if the
 * agent replied, otherwise the last finished draft (an integration uses drafts as replies). Unused drafts,
 * failed drafts and system notes are not sent. Consecutive turns of one role are merged, as Gemini expects
 * alternation.
 */
export function conversationTurns(messages: readonly Message[]): Turn[] {
  const turns: Turn[] = []
  let pendingDraft: string | undefined
  let agentReplied = false

  const push = (role: Turn['role'], text: string): void => {
    const last = turns.at(-1)
    if (last?.role === role) last.text = `${last.text}\n\n${text}`
    else turns.push({ role, text })
  }
  const closeExchange = (): void => {
    if (!agentReplied && pendingDraft !== undefined) push('model', pendingDraft)
    pendingDraft = undefined
    agentReplied = false
  }

  for (const message of messages) {
    if (message.text.trim() === '') continue
    switch (message.role) {
      case 'customer':
        closeExchange()
        push('user', message.text)
        break
      case 'agent':
        agentReplied = true
        push('model', message.text)
        break
      case 'assistant_draft':
        if (message.status === 'complete') pendingDraft = message.text
        break
      case 'system_note':
        break
    }
  }
  closeExchange()

  // A conversation begins with the customer; a leading agent message is context for the model.
  if (turns[0]?.role === 'model') turns.unshift({ role: 'user', text: '(The agent wrote first.)' })
  if (turns.at(-1)?.role === 'model') turns.push({ role: 'user', text: FOLLOW_UP_PROMPT })
  return turns
}
