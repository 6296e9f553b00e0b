// Undoing a rewrite, one step at a time: each rewrite remembers the reply as it was before it (the draft it
// was made from, and the agent's edits), and an undone rewrite stops being the current draft, so the one
// before it is offered again. Kept in the open conversation only. Pure: unit-tested under Node.
import type { Message } from '../../../shared/domain'
import { currentDraftMessage } from './draft-state'

export interface RewriteStep {
  /** The rewrite's message. */
  rewriteId: number
  /** What it is called ("Shorter", "Translate to German"). */
  label: string
  /** The reply before it: the draft it replaced (null when there was none) and the text, edited or not. */
  before: { message: Message | null; text: string; edited: boolean }
}

/** The draft the panel offers, leaving out rewrites the agent undid. */
export function currentDraftAfterUndo(messages: readonly Message[], undone: readonly number[]): Message | null {
  return currentDraftMessage(undone.length === 0 ? messages : messages.filter((m) => !undone.includes(m.id)))
}

/** The step Undo would take back: the latest, and only while its rewrite is the draft shown (and not streaming). */
export function undoableStep(steps: readonly RewriteStep[], shownMessageId: number | null, busy: boolean): RewriteStep | null {
  const last = steps.at(-1)
  return last && !busy && last.rewriteId === shownMessageId ? last : null
}
