// The shapes rows come back in from SQLite, and their conversion to the shared domain types.
// The CHECK constraints guarantee role and status are members of their lists, hence the casts.
import type { DraftSource } from '../../../shared/knowledge'
import type { Conversation, ConversationHit, ErrorKind, Message, MessageRole, MessageStatus } from '../../../shared/domain'
import type { DraftFeedback, MessageKind } from '../../../shared/steering'

export const MESSAGE_COLUMNS = `id, conversation_id, role, text, status, source, model, prompt_tokens, output_tokens,
  total_tokens, first_token_ms, duration_ms, finish_reason, error_kind, error_message, kind, instruction, feedback_rating,
  feedback_reason, feedback_at, created_at, updated_at`

export interface MessageRow {
  id: number
  conversation_id: number
  role: string
  text: string
  status: string
  source: string
  model: string | null
  prompt_tokens: number | null
  output_tokens: number | null
  total_tokens: number | null
  first_token_ms: number | null
  duration_ms: number | null
  finish_reason: string | null
  error_kind: string | null
  error_message: string | null
  kind: string
  instruction: string | null
  feedback_rating: string | null
  feedback_reason: string | null
  feedback_at: string | null
  created_at: string
  updated_at: string
}

export interface ConversationRow {
  id: number
  title: string
  source: string
  created_at: string
  updated_at: string
  message_count: number
  summary: string | null
}

export interface ConversationHitRow extends ConversationRow {
  hit_message_id: number | null
  hit_snippet: string | null
}

/** One cited passage of a draft (table draft_sources, migration 4). */
export interface DraftSourceRow {
  message_id: number
  n: number
  passage_id: number
  path: string
  title: string
  heading: string
  text: string
}

export function toDraftSource(row: DraftSourceRow): DraftSource {
  return { n: row.n, passageId: row.passage_id, path: row.path, title: row.title, heading: parseHeading(row.heading), text: row.text }
}

// Written by the store as a JSON array of strings; anything else (a hand-edited row) reads as no heading.
function parseHeading(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value)
    return Array.isArray(parsed) ? parsed.filter((h): h is string => typeof h === 'string') : []
  } catch {
    return []
  }
}

export function toMessage(row: MessageRow, pendingText = '', sources: DraftSource[] = []): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role as MessageRole,
    text: row.text + pendingText,
    status: row.status as MessageStatus,
    source: row.source,
    model: row.model,
    usage: { promptTokens: row.prompt_tokens, outputTokens: row.output_tokens, totalTokens: row.total_tokens },
    firstTokenMs: row.first_token_ms,
    durationMs: row.duration_ms,
    finishReason: row.finish_reason,
    errorKind: row.error_kind as ErrorKind | null,
    errorMessage: row.error_message,
    kind: row.kind as MessageKind,
    instruction: row.instruction,
    feedback: toFeedback(row),
    sources,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
    summary: row.summary,
  }
}

// The CHECK keeps the rating 'up', 'down' or NULL; the store writes all three columns together.
function toFeedback(row: MessageRow): DraftFeedback | null {
  if (row.feedback_rating === null || row.feedback_at === null) return null
  return { rating: row.feedback_rating as DraftFeedback['rating'], reason: row.feedback_reason, at: row.feedback_at }
}

export function toConversationHit(row: ConversationHitRow): ConversationHit {
  return {
    ...toConversation(row),
    hit: row.hit_message_id === null ? null : { messageId: row.hit_message_id, snippet: row.hit_snippet ?? '' },
  }
}
