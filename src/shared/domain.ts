// The transcript domain, shared by every process: what a conversation and its messages are.
import type { DraftSource } from './knowledge'
import type { DraftFeedback, MessageKind } from './steering'

export const MESSAGE_ROLES = ['customer', 'agent', 'assistant_draft', 'system_note'] as const
export type MessageRole = (typeof MESSAGE_ROLES)[number]

// 'truncated': the reply ended without Gemini saying it was finished (cut off at the length limit, the stream
// ended early, or another finishReason); its text is kept but is not a whole reply.
export const MESSAGE_STATUSES = ['streaming', 'complete', 'stopped', 'error', 'blocked', 'interrupted', 'truncated'] as const
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
  /** A draft's purpose: a reply, a rewrite, a summary or an offline draft; 'reply' for people's messages. */
  kind: MessageKind
  /** A rewrite's instruction in words ("Make it friendlier."); null for everything else. */
  instruction: string | null
  /** The agent's thumbs up or down on a draft; null when none was given (and for people's messages). */
  feedback: DraftFeedback | null
  /** The knowledge-base passages a draft was grounded in, cited in its text as [n]; empty for other messages. */
  sources: DraftSource[]
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
  /** The latest complete summary of the conversation (summarizeConversation), or null. */
  summary: string | null
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
  /** The language of the customer's messages in English ("German"), or null when too little text or unsure. */
  customerLanguage: string | null
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
  /** The transcript database could not be written (disk full, read-only or failing data folder). */
  'storage',
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
