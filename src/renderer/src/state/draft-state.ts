// The reply draft shown in the draft panel, folded from the conversation's live events (a pure reducer, in
// the way Chatbox folds stream chunks into a message). Replays are safe: an event already seen (same draft,
// seq not newer) changes nothing, so a window that subscribes mid-stream and is replayed from the start
// ends with exactly the text of one that watched from the beginning.
import type { ConversationEvent } from '../../../shared/api'
import type { DraftError, ErrorKind, Message, MessageStatus, TokenUsage } from '../../../shared/domain'
import type { DraftSource } from '../../../shared/knowledge'
import type { MessageKind } from '../../../shared/steering'
import { savedTruncationNotice, type TruncationNotice } from '../../../shared/truncation'
import { metaKind } from './summary-state'

export type DraftPhase =
  /** No draft in the panel. */
  | 'idle'
  /** Asked the API to start a draft; Gemini has not been reached yet. */
  | 'starting'
  /** Text is arriving. */
  | 'streaming'
  /** Finished one way or another (complete, truncated, stopped, error, blocked, interrupted). */
  | 'ended'

export type EndedStatus = Exclude<MessageStatus, 'streaming'>

export interface DraftState {
  phase: DraftPhase
  messageId: number | null
  model: string | null
  text: string
  status: EndedStatus | null
  finishReason: string | null
  error: DraftError | null
  /** Why a 'truncated' draft is not a whole reply, in words to show; null for any other status. */
  truncation: TruncationNotice | null
  usage: TokenUsage | null
  firstTokenMs: number | null
  durationMs: number | null
  /** The knowledge-base passages the draft was grounded in (its [n] markers cite them); empty when it was not. */
  sources: DraftSource[]
  /** A reply, a rewrite of the agent's text or an offline draft (summaries are not shown here). */
  kind: MessageKind
  /** A rewrite's instruction in words; null for anything else (or while the core has not said it). */
  instruction: string | null
  /** The last event applied, to skip replayed ones. */
  lastSeq: number
  /** Why a draft could not be started at all (no generation exists), in the API's words. */
  requestError: string | null
  /** The draft the API said it started, while its first event has not arrived yet. */
  pendingMessageId: number | null
}

export type DraftAction =
  | { type: 'event'; event: ConversationEvent }
  /** The agent asked for a draft; the API call is under way. */
  | { type: 'requested' }
  /** The API started it: this is its message. */
  | { type: 'started'; messageId: number }
  /** The API refused to start one. */
  | { type: 'request-failed'; message: string }
  /** The conversation was (re)loaded: its current draft from the transcript, if any. */
  | { type: 'loaded'; message: Message | null }
  /** The draft was used or discarded: the panel is empty again. */
  | { type: 'cleared' }

export const initialDraftState: DraftState = {
  phase: 'idle',
  messageId: null,
  model: null,
  text: '',
  status: null,
  finishReason: null,
  error: null,
  truncation: null,
  usage: null,
  firstTokenMs: null,
  durationMs: null,
  sources: [],
  kind: 'reply',
  instruction: null,
  lastSeq: 0,
  requestError: null,
  pendingMessageId: null,
}

// Whether retrying can help is not stored with a message; these kinds never improve by trying again.
const NOT_RETRYABLE: ReadonlySet<ErrorKind> = new Set(['auth', 'blocked', 'invalid-input'])

const INTERRUPTED_MESSAGE = 'This draft was cut off when Support Console closed. The text so far is kept.'

/** A saved draft as panel state (a finished draft found in the transcript). */
export function draftFromMessage(message: Message): DraftState {
  const status: EndedStatus = message.status === 'streaming' ? 'interrupted' : message.status
  let error: DraftError | null = null
  if (message.errorKind) {
    error = { kind: message.errorKind, retryable: !NOT_RETRYABLE.has(message.errorKind), message: message.errorMessage ?? 'The draft failed.' }
  } else if (status === 'interrupted') {
    error = { kind: 'network', retryable: true, message: INTERRUPTED_MESSAGE }
  }
  return {
    ...initialDraftState,
    phase: 'ended',
    messageId: message.id,
    model: message.model,
    text: message.text,
    status,
    finishReason: message.finishReason,
    error,
    truncation: status === 'truncated' ? savedTruncationNotice(message.finishReason) : null,
    usage: message.usage,
    firstTokenMs: message.firstTokenMs,
    durationMs: message.durationMs,
    sources: message.sources,
    kind: message.kind,
    instruction: message.instruction,
  }
}

/**
 * The draft the panel should offer when a conversation opens: the last draft, if nothing was said after it
 * (a customer message or the agent's reply makes it history). System notes do not count.
 */
export function currentDraftMessage(messages: readonly Message[]): Message | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as Message
    // A summary is shown at the top of the conversation, not as the reply to use.
    if (message.role === 'system_note' || message.kind === 'summary') continue
    return message.role === 'assistant_draft' ? message : null
  }
  return null
}

function applyEvent(state: DraftState, { messageId, event }: ConversationEvent): DraftState {
  if (event.type === 'meta') {
    // A summary streams on the same events; the summary box folds it (summary-state.ts).
    if (metaKind(event) === 'summary') return state
    if (messageId === state.messageId && event.seq <= state.lastSeq) return state
    const instruction = 'instruction' in event && typeof event.instruction === 'string' ? event.instruction : null
    return { ...initialDraftState, phase: 'streaming', messageId, model: event.model, kind: metaKind(event), instruction, lastSeq: event.seq }
  }
  // Events of another draft than the one shown (a replay of an older one) are not ours to fold in.
  if (messageId !== state.messageId || event.seq <= state.lastSeq) return state
  switch (event.type) {
    case 'delta':
      return { ...state, text: state.text + event.text, lastSeq: event.seq }
    case 'usage':
      return { ...state, usage: event.usage, lastSeq: event.seq }
    case 'sources':
      return { ...state, sources: event.sources, lastSeq: event.seq }
    case 'end':
      return {
        ...state,
        phase: 'ended',
        status: event.status,
        finishReason: event.finishReason,
        error: event.error,
        // The core sends the notice; an older core (or a replayed event without it) still gets one from finishReason.
        truncation: event.status === 'truncated' ? (event.truncation ?? savedTruncationNotice(event.finishReason)) : null,
        firstTokenMs: event.firstTokenMs,
        durationMs: event.durationMs,
        lastSeq: event.seq,
      }
  }
}

export function draftReducer(state: DraftState, action: DraftAction): DraftState {
  switch (action.type) {
    case 'event':
      return applyEvent(state, action.event)
    case 'requested':
      return { ...state, phase: 'starting', requestError: null, pendingMessageId: null }
    case 'started':
      return state.phase === 'starting' && state.messageId !== action.messageId ? { ...state, pendingMessageId: action.messageId } : state
    case 'request-failed':
      // The earlier draft (if any) is still the one on screen.
      return { ...state, phase: state.messageId === null ? 'idle' : 'ended', requestError: action.message }
    case 'loaded': {
      const message = action.message
      // While a draft is being asked for or streams, the events are the truth; the transcript lags behind,
      // except for a started draft whose events never came (it is already saved as finished).
      if (state.phase === 'starting') {
        const missed = message !== null && message.id === state.pendingMessageId && message.status !== 'streaming'
        return missed ? draftFromMessage(message) : state
      }
      if (!message) return state.phase === 'streaming' ? state : initialDraftState
      if (message.status === 'streaming') return state
      // A draft that ended without its events reaching us (missed while offline) is taken from the store.
      if (message.id === state.messageId && state.phase === 'ended') return state
      if (state.phase === 'streaming' && message.id !== state.messageId) return state
      return draftFromMessage(message)
    }
    case 'cleared':
      return initialDraftState
  }
}

/** Whether the panel is busy with a live request (Stop applies, Draft does not). */
export const isDrafting = (state: DraftState): boolean => state.phase === 'starting' || state.phase === 'streaming'
