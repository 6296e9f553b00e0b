// The transcript domain, shared by every process: what a conversation and its messages are.

export const MESSAGE_ROLES = ['customer', 'agent', 'assistant_draft', 'system_note'] as const
export type MessageRole = (typeof MESSAGE_ROLES)[number]

export const MESSAGE_STATUSES = ['streaming', 'complete', 'stopped', 'error', 'blocked', 'interrupted'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/** Where a message came from: the desktop/web console, or the name an integration gave itself. */
export const APP_SOURCE = 'app'

export interface TokenUsage {
  promptTokens: number | null
  outputTokens: number | null
  totalTokens: number | null
}

export interface Message {
  id: number
  conversationId: number
  role: MessageRole
  text: string
  status: MessageStatus
  source: string
  /** Model that drafted an assistant message; null for people's messages. */
  model: string | null
  usage: TokenUsage
  /** Milliseconds from the request to the first text, for drafts. */
  firstTokenMs: number | null
  /** Milliseconds from the request to the end of the draft. */
  durationMs: number | null
  /** Gemini's finishReason (STOP, MAX_TOKENS, SAFETY, ...), when it sent one. */
  finishReason: string | null
  errorKind: ErrorKind | null
  errorMessage: string | null
  createdAt: string
  updatedAt: string
}

export interface Conversation {
  id: number
  title: string
  source: string
  createdAt: string
  updatedAt: string
  messageCount: number
}

/** A conversation in a search result, with the best-matching message to jump to. */
export interface ConversationHit extends Conversation {
  hit: { messageId: number; snippet: string } | null
}

export interface ConversationPage {
  conversations: ConversationHit[]
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null
}

export interface ConversationDetail {
  conversation: Conversation
  messages: Message[]
}

// Errors are values with a kind the UI can explain and a flag saying whether retrying can help.
export const ERROR_KINDS = [
  'auth',
  'quota',
  'overloaded',
  'blocked',
  'network',
  'timeout',
  'cancelled',
  'invalid-input',
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]

export interface DraftError {
  kind: ErrorKind
  retryable: boolean
  /** Words a support agent understands; never contains the API key. */
  message: string
  /** HTTP status from Gemini, when there was one. */
  status?: number
  /** Server-suggested wait before retrying (from Google's RetryInfo), in milliseconds. */
  retryAfterMs?: number
}
