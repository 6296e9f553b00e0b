// The shapes rows come back in from SQLite, and their conversion to the shared domain types.
// The CHECK constraints guarantee role and status are members of their lists, hence the casts.
import type { Conversation, ConversationHit, ErrorKind, Message, MessageRole, MessageStatus } from '../../../shared/domain'

export const MESSAGE_COLUMNS = `id, conversation_id, role, text, status, source, model, prompt_tokens, output_tokens,
  total_tokens, first_token_ms, duration_ms, finish_reason, error_kind, error_message, created_at, updated_at`

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
}

export interface ConversationHitRow extends ConversationRow {
  hit_message_id: number | null
  hit_snippet: string | null
}

export function toMessage(row: MessageRow, pendingText = ''): Message {
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
  }
}

export function toConversationHit(row: ConversationHitRow): ConversationHit {
  return {
    ...toConversation(row),
    hit: row.hit_message_id === null ? null : { messageId: row.hit_message_id, snippet: row.hit_snippet ?? '' },
  }
}
