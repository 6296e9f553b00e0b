// The conversation's summary as it streams (summarizeConversation), folded from the conversation's live events
// like the draft is. Only events of a summary are taken: a 'meta' that says kind 'summary', or one of the message
// the API said it started as the summary (for a core whose events do not say their kind). Pure: unit-tested.
import type { ConversationEvent } from '../../../shared/api'
import type { MessageKind } from '../../../shared/steering'

export interface SummaryState {
  phase: 'idle' | 'starting' | 'streaming' | 'ended'
  messageId: number | null
  /** The text so far (while streaming) or as it ended; the saved summary is the conversation's `summary`. */
  text: string
  /** How it ended: complete, stopped, error… (null before). */
  status: string | null
  /** Why it failed, in words to show. */
  error: string | null
  lastSeq: number
}

export type SummaryAction =
  | { type: 'event'; event: ConversationEvent }
  | { type: 'requested' }
  | { type: 'started'; messageId: number }
  | { type: 'request-failed'; message: string }

export const initialSummaryState: SummaryState = { phase: 'idle', messageId: null, text: '', status: null, error: null, lastSeq: 0 }

/** The kind a 'meta' event says its message is; an older core does not say (then it is a reply). */
export function metaKind(event: ConversationEvent['event']): MessageKind {
  return event.type === 'meta' && 'kind' in event && typeof event.kind === 'string' ? (event.kind as MessageKind) : 'reply'
}

function applyEvent(state: SummaryState, { messageId, event }: ConversationEvent): SummaryState {
  if (event.type === 'meta') {
    const ours = metaKind(event) === 'summary' || (state.phase === 'starting' && messageId === state.messageId)
    if (!ours || (messageId === state.messageId && event.seq <= state.lastSeq)) return state
    return { ...initialSummaryState, phase: 'streaming', messageId, lastSeq: event.seq }
  }
  if (messageId !== state.messageId || event.seq <= state.lastSeq) return state
  if (event.type === 'delta') return { ...state, phase: 'streaming', text: state.text + event.text, lastSeq: event.seq }
  if (event.type === 'end') return { ...state, phase: 'ended', status: event.status, error: event.error?.message ?? null, lastSeq: event.seq }
  return { ...state, lastSeq: event.seq }
}

export function summaryReducer(state: SummaryState, action: SummaryAction): SummaryState {
  switch (action.type) {
    case 'event':
      return applyEvent(state, action.event)
    case 'requested':
      return { ...initialSummaryState, phase: 'starting' }
    case 'started':
      // Its events may have come first (then it is already streaming or ended).
      return state.phase === 'starting' ? { ...state, messageId: action.messageId } : state
    case 'request-failed':
      return { ...initialSummaryState, phase: 'ended', status: 'error', error: action.message }
  }
}

export const isSummarizing = (state: SummaryState): boolean => state.phase === 'starting' || state.phase === 'streaming'
