// Builds the model's view of a conversation from the transcript, instead of trusting an SDK chat session
// (which silently drops turns with empty replies). Pure, so every rule here is unit-tested.
import type { Message } from '../../../shared/domain'
import type { Turn } from '../gemini/types'

/** Asked for when the agent drafts again after having replied: the model needs a user turn last. */
export const FOLLOW_UP_PROMPT = '(The customer has not written since the last reply. Draft a short follow-up message.)'

/** Put first when the agent wrote first, since a conversation sent to Gemini begins with the user. */
export const AGENT_FIRST_PROMPT = '(The agent wrote first.)'

/**
 * Customers' messages are user turns. The reply that stands for each exchange is the agent's message if the
 * agent replied, otherwise the last finished reply draft (an integration uses drafts as replies). Unused drafts,
 * failed drafts and system notes are not sent, nor drafts that are not replies: a rewrite is a version of a text
 * the agent may still send (it counts once sent, as the agent's message), a summary is about the conversation
 * rather than part of it, and an offline draft was never the model's. Consecutive turns of one role are merged,
 * as Gemini expects alternation.
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
        if (message.status === 'complete' && message.kind === 'reply') pendingDraft = message.text
        break
      case 'system_note':
        break
    }
  }
  closeExchange()

  // A conversation begins with the customer; a leading agent message is context for the model.
  if (turns[0]?.role === 'model') turns.unshift({ role: 'user', text: AGENT_FIRST_PROMPT })
  if (turns.at(-1)?.role === 'model') turns.push({ role: 'user', text: FOLLOW_UP_PROMPT })
  return turns
}
