// What a live generation tells its listeners (renderer, store, SSE clients), in order.
// `seq` counts from 1 within one generation, so a listener can resume after the last event it saw.
import type { DraftError, MessageStatus, TokenUsage } from './domain'

export type FinalStatus = Extract<MessageStatus, 'complete' | 'stopped' | 'error' | 'blocked'>

export type GenerationEvent =
  | { seq: number; type: 'meta'; conversationId: number; messageId: number; model: string }
  | { seq: number; type: 'delta'; text: string }
  | { seq: number; type: 'usage'; usage: TokenUsage }
  | {
      seq: number
      type: 'end'
      status: FinalStatus
      finishReason: string | null
      /** Set when status is 'error', 'blocked' or 'stopped'. Partial text is kept either way. */
      error: DraftError | null
      firstTokenMs: number | null
      durationMs: number
    }
