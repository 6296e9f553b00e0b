// The model-facing contract of the core: what a drafting request is and what comes back.
// Everything SDK-specific stays behind this, in sdk-stream.ts.
import type { DraftError, TokenUsage } from '../../../shared/domain'

export interface Turn {
  role: 'user' | 'model'
  text: string
}

export interface ReplyRequest {
  model: string
  systemInstruction: string
  /** The conversation so far, oldest first; the last turn is the user's. */
  turns: Turn[]
  /** Aborting it aborts the HTTP request to Gemini. */
  signal: AbortSignal
}

/**
 * A reply stream yields text and usage as they arrive and always ends with exactly one
 * `end` or `error` event; it never throws and never rejects unhandled.
 */
export type ReplyEvent =
  | { type: 'text'; text: string }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'end'; finishReason: string | null }
  | { type: 'error'; error: DraftError; finishReason: string | null }

export type ReplySink = (event: ReplyEvent) => void

export interface ReplyModel {
  streamReply(request: ReplyRequest): AsyncIterable<ReplyEvent>
  /**
   * The same events handed to `sink` as they happen, the closing one last; resolves after it and never rejects.
   * Optional: the drafting service prefers it (no async iterator per hop on the hot path) and falls back to
   * streamReply for models that only have that.
   */
  deliverReply?(request: ReplyRequest, sink: ReplySink): Promise<void>
}

export interface GeminiClientOptions {
  /** Read at the start of every draft, so a key added in Settings applies at once. */
  apiKey: () => string | undefined
  /** Without a trailing slash; undefined means Google's endpoint. */
  baseUrl: string | undefined
  /** A stream with no bytes for this long ends with a `timeout` error. */
  idleTimeoutMs: number
  /** Retries of transient failures before the first text (429, 500, 503, 504, network). */
  maxRetries: number
  /** First backoff delay; doubles per attempt, with full jitter, capped by maxRetryDelayMs. */
  retryBaseDelayMs: number
  maxRetryDelayMs: number
}
