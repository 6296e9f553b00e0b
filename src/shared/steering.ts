// Steering a draft: rewrites, summaries, snippets (canned replies) and the agent's feedback on drafts.
// Types only; their schemas are in schemas.ts and their limits in limits.ts.

/**
 * What an assistant message is: a reply drafted for the customer, a rewrite of a text the agent gave, a summary
 * of the conversation, or an offline draft assembled from the knowledge base. People's messages are 'reply'.
 */
export const MESSAGE_KINDS = ['reply', 'rewrite', 'summary', 'offline'] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** The fixed ways a text can be rewritten, besides translating it and a free instruction. */
export const REWRITE_STYLES = ['friendlier', 'formal', 'shorter', 'detailed', 'grammar'] as const
export type RewriteStyle = (typeof REWRITE_STYLES)[number]

/**
 * How to rewrite a text. `translate` to 'customer' means the language detected from the customer's messages
 * (ConversationDetail.customerLanguage); otherwise `language` names one in words ("German", "Brazilian Portuguese").
 */
export type RewriteInstruction = { kind: RewriteStyle } | { kind: 'translate'; language: string } | { kind: 'custom'; text: string }

/** The language the customer's messages are in, when `translate` names it. */
export const CUSTOMER_LANGUAGE = 'customer'

/** The agent's thumbs up or down on a draft, with an optional reason. */
export interface DraftFeedback {
  rating: 'up' | 'down'
  reason: string | null
  /** When it was given (ISO 8601). */
  at: string
}

/** What setDraftFeedback takes: a null rating clears the feedback. */
export interface DraftFeedbackInput {
  rating: 'up' | 'down' | null
  reason?: string | null
}

/** A canned reply. `shortcut` (letters, digits, `-`, `_`, `.`) inserts it from the reply box as `/shortcut`. */
export interface Snippet {
  id: number
  title: string
  body: string
  shortcut: string | null
  updatedAt: string
}

export interface NewSnippet {
  title: string
  body: string
  shortcut?: string | null
}

export type SnippetUpdate = Partial<NewSnippet>

export interface SnippetQuery {
  q?: string
}

/** What importSnippets did: snippets already there (same title and body) are skipped, not duplicated. */
export interface SnippetImportResult {
  added: number
  skipped: number
}

/** The export file's format version; importSnippets refuses any other. */
export const SNIPPETS_FILE_VERSION = 1

/** The JSON file exportSnippets writes and importSnippets reads. */
export interface SnippetsFile {
  version: typeof SNIPPETS_FILE_VERSION
  snippets: { title: string; body: string; shortcut: string | null }[]
}
