// Which conversation is open, where in it to jump (a search hit), and whether its title is being renamed.
// Kept by the console and handed to the open conversation: the list's F2 renames by changing this state,
// not by sending the conversation a command. Pure: unit-tested under Node.
import type { ConversationHit } from '../../../shared/domain'

export interface FocusRequest {
  messageId: number
  /** A new number per request, so the same message can be jumped to twice. */
  nonce: number
}

export interface Selection {
  id: number
  focus: FocusRequest | null
  /** The title is open for editing. */
  renaming: boolean
}

/** Opening a conversation from the list: a search result also jumps to its matching message. */
export function openHit(conversation: ConversationHit, nonce: number): Selection {
  return { id: conversation.id, focus: conversation.hit ? { messageId: conversation.hit.messageId, nonce } : null, renaming: false }
}

/** Renaming from the list: opens the conversation unless it is open already (keeping its jump), title in edit. */
export function startRenaming(selection: Selection | null, id: number): Selection {
  return selection?.id === id ? { ...selection, renaming: true } : { id, focus: null, renaming: true }
}

export function setRenaming(selection: Selection | null, renaming: boolean): Selection | null {
  return selection && selection.renaming !== renaming ? { ...selection, renaming } : selection
}

/** After a conversation is deleted: closed if it was the open one. */
export function closeIfOpen(selection: Selection | null, id: number): Selection | null {
  return selection?.id === id ? null : selection
}
