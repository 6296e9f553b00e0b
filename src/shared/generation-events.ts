// What a live generation tells its listeners (renderer, store, SSE clients), in order.
// `seq` counts from 1 within one generation, so a listener can resume after the last event it saw.
import type { DraftError, MessageStatus, TokenUsage } from './domain'
import type { DraftSource } from './knowledge'
import type { MessageKind } from './steering'
import type { TruncationNotice } from './truncation'

export type FinalStatus = Extract<MessageStatus, 'complete' | 'stopped' | 'error' | 'blocked' | 'truncated'>

export type GenerationEvent =
  /**
   * `kind` (with a rewrite's `instruction` in words): set for drafts that are not replies (a rewrite, a summary), which a
   * client must not offer as one; absent means a reply.
   */
  | { seq: number; type: 'meta'; conversationId: number; messageId: number; model: string; kind?: MessageKind; instruction?: string | null }
  /** The knowledge-base passages the draft is grounded in, cited as [n]: right after 'meta', only when there are any. */
  | { seq: number; type: 'sources'; sources: DraftSource[] }
  | { seq: number; type: 'delta'; text: string }
  | { seq: number; type: 'usage'; usage: TokenUsage }
  | {
      seq: number
      type: 'end'
      status: FinalStatus
      finishReason: string | null
      /** Set when status is 'error', 'blocked' or 'stopped'. Partial text is kept either way. */
      error: DraftError | null
      /** Set when status is 'truncated': why the reply is incomplete, in words to show the agent. */
      truncation?: TruncationNotice | null
      firstTokenMs: number | null
      durationMs: number
    }
