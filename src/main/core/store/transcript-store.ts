// The transcript store: every conversation and message, in one local SQLite file.
//
// One TranscriptStore is the single writer for its file. Other connections may read at any time (WAL),
// and see a streaming draft's text as of the last flush.
import { resolve } from 'node:path'
import type Database from 'better-sqlite3'
import type {
  Conversation,
  ConversationDetail,
  ConversationPage,
  ErrorKind,
  Message,
  MessageRole,
  MessageStatus,
  TokenUsage,
} from '../../../shared/domain'
import type { FinalStatus } from '../../../shared/generation-events'
import { decodeCursor, encodeCursor } from './cursor'
import { openDatabase } from './database'
import { StoreInputError } from './errors'
import { toFtsQuery } from './fts-query'
import { MESSAGE_COLUMNS, toConversation, toConversationHit, toMessage } from './rows'
import type { ConversationHitRow, ConversationRow, MessageRow } from './rows'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/limits'
import { HIT_END, HIT_START } from '../../../shared/search-markers'
import { TextFlusher } from './text-flusher'
import {
  isId,
  optionalCount,
  optionalErrorKind,
  optionalErrorMessage,
  optionalShortText,
  requireId,
  requireRole,
  requireShortText,
  requireSource,
  requireStatus,
  requireText,
  requireTitle,
  requireUsage,
} from './validate'

// Re-exported so callers can import the store and what it throws and marks from one module.
export { StoreInputError, StoreOpenError } from './errors'
export { HIT_END, HIT_START } from '../../../shared/search-markers'

/** How a draft can end: the same set a generation's end event names. */
export type FinalDraftStatus = FinalStatus

export interface DraftResult {
  status: FinalDraftStatus
  usage: TokenUsage
  firstTokenMs: number | null
  durationMs: number | null
  finishReason: string | null
  errorKind: ErrorKind | null
  errorMessage: string | null
}

export interface TranscriptStoreOptions {
  /** How often buffered draft text is written; 1 to 250 ms. */
  flushIntervalMs?: number
  /** Clock for timestamps; tests pin it to make ordering and ties deterministic. */
  now?: () => Date
  /** Called when a background flush fails; the text stays buffered and is retried. Default: console.error. */
  onFlushError?: (error: unknown) => void
  /** Path of a better-sqlite3 addon built for this runtime; the Electron app passes its Electron-ABI build. */
  nativeBinding?: string
}

export interface ListQuery {
  q?: string
  limit?: number
  cursor?: string
}

export interface StoreStats {
  /** Batched flush transactions (timer or flush()). */
  flushes: number
  /** Text append statements run, by flushes and by finishDraft. */
  textWrites: number
}

export const DEFAULT_FLUSH_INTERVAL_MS = 150
export const MAX_FLUSH_INTERVAL_MS = 250

const FINAL_STATUSES: readonly FinalDraftStatus[] = ['complete', 'stopped', 'error', 'blocked']
const PEOPLE_STATUSES: readonly MessageStatus[] = ['complete', 'stopped', 'error', 'blocked', 'interrupted']
// Sorts after every ISO timestamp and every id: "start from the top" without a second statement.
const TOP_OF_LIST = { updatedAt: '~', id: Number.MAX_SAFE_INTEGER }
const SNIPPET_TOKENS = 16

// Counted on read rather than stored: the (conversation_id, id) index makes it cheap, and a stored
// counter would be one more thing every insert, delete and migration has to keep right.
const CONVERSATION_COLUMNS = `c.id, c.title, c.source, c.created_at, c.updated_at,
  (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count`

function prepareStatements(db: Database.Database) {
  return {
    insertConversation: db.prepare(
      'INSERT INTO conversations (title, source, created_at, updated_at) VALUES (?, ?, ?, ?)',
    ),
    getConversation: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`),
    renameConversation: db.prepare('UPDATE conversations SET title = ? WHERE id = ?'),
    deleteConversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
    // Moving updated_at doubles as the existence check, inside the same transaction as the insert.
    touchConversation: db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?'),
    insertMessage: db.prepare(`
      INSERT INTO messages (conversation_id, role, text, status, source, model, created_at, updated_at)
      VALUES (@conversationId, @role, @text, @status, @source, @model, @now, @now)`),
    getMessage: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
    getMessages: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id`),
    liveDraftsOf: db.prepare("SELECT id FROM messages WHERE conversation_id = ? AND status = 'streaming'"),
    // Appending in SQL: a flush sends only the new text and never reads the draft back into JS.
    // (SQLite still rewrites the row, so cost per flush grows with draft length; fine at reply sizes.)
    // The status guard means a late flush can never add text to a finished message.
    appendText: db.prepare("UPDATE messages SET text = text || ?, updated_at = ? WHERE id = ? AND status = 'streaming'"),
    finishDraft: db.prepare(`
      UPDATE messages SET status = @status, prompt_tokens = @promptTokens, output_tokens = @outputTokens,
        total_tokens = @totalTokens, first_token_ms = @firstTokenMs, duration_ms = @durationMs,
        finish_reason = @finishReason, error_kind = @errorKind, error_message = @errorMessage, updated_at = @now
      WHERE id = @id AND status = 'streaming'`),
    recoverInterrupted: db.prepare(
      "UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'",
    ),
    listConversations: db.prepare(`
      SELECT ${CONVERSATION_COLUMNS}, NULL AS hit_message_id, NULL AS hit_snippet
      FROM conversations c
      WHERE (c.updated_at, c.id) < (@afterUpdatedAt, @afterId)
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT @limit`),
    // The page is chosen first (inner query) so counts and snippets are computed only for its rows.
    // The hit is the conversation's most recent matching message, the one an agent most likely wants.
    searchConversations: db.prepare(`
      SELECT ${CONVERSATION_COLUMNS},
             page.message_id AS hit_message_id,
             (SELECT snippet(messages_fts, 0, @hitStart, @hitEnd, '…', ${SNIPPET_TOKENS})
                FROM messages_fts WHERE messages_fts MATCH @match AND rowid = page.message_id) AS hit_snippet
      FROM (
        SELECT hits.conversation_id, hits.message_id
        FROM (
          SELECT m.conversation_id, max(m.id) AS message_id
          FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
          WHERE messages_fts MATCH @match
          GROUP BY m.conversation_id
        ) hits
        JOIN conversations c ON c.id = hits.conversation_id
        WHERE (c.updated_at, c.id) < (@afterUpdatedAt, @afterId)
        ORDER BY c.updated_at DESC, c.id DESC
        LIMIT @limit
      ) page
      JOIN conversations c ON c.id = page.conversation_id
      ORDER BY c.updated_at DESC, c.id DESC`),
  }
}

type Statements = ReturnType<typeof prepareStatements>

export class TranscriptStore {
  readonly file: string
  /** Drafts found still `streaming` at open (the app stopped mid-draft), now `interrupted`. */
  readonly recoveredInterrupted: number
  /** The copy written before this open migrated an older database, or null. */
  readonly backupFile: string | null

  private readonly db: Database.Database
  private readonly statements: Statements
  private readonly now: () => Date
  private readonly flusher: TextFlusher
  /** Drafts started by this store and not finished: message id → conversation id. */
  private readonly liveDrafts = new Map<number, number>()
  private readonly counters: StoreStats = { flushes: 0, textWrites: 0 }
  private closed = false

  static open(file: string, options: TranscriptStoreOptions = {}): TranscriptStore {
    return new TranscriptStore(resolve(file), options)
  }

  private constructor(file: string, options: TranscriptStoreOptions) {
    const intervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    if (!Number.isFinite(intervalMs) || intervalMs < 1 || intervalMs > MAX_FLUSH_INTERVAL_MS) {
      throw new StoreInputError(`flushIntervalMs must be between 1 and ${MAX_FLUSH_INTERVAL_MS} ms.`)
    }
    this.file = file
    this.now = options.now ?? (() => new Date())
    const opened = openDatabase(file, this.now, options.nativeBinding)
    this.db = opened.db
    this.backupFile = opened.backupFile
    try {
      this.statements = prepareStatements(this.db)
      // Nobody will finish a draft that was streaming when the last process ended; its text is kept.
      this.recoveredInterrupted = this.statements.recoverInterrupted.run(this.timestamp()).changes
    } catch (error) {
      this.db.close()
      throw error
    }
    const onFlushError =
      options.onFlushError ?? ((error: unknown) => console.error('[transcript-store] flushing draft text failed; will retry', error))
    this.flusher = new TextFlusher(intervalMs, (batch) => this.writeBatch(batch), onFlushError)
  }

  get stats(): StoreStats {
    return { ...this.counters }
  }

  createConversation(input: { title: string; source: string }): Conversation {
    const title = requireTitle(input?.title)
    const source = requireSource(input?.source)
    const now = this.timestamp()
    const id = Number(this.statements.insertConversation.run(title, source, now, now).lastInsertRowid)
    return { id, title, source, createdAt: now, updatedAt: now, messageCount: 0 }
  }

  getConversation(id: number): Conversation | undefined {
    if (!isId(id)) return undefined
    const row = this.statements.getConversation.get(id) as ConversationRow | undefined
    return row && toConversation(row)
  }

  /** Renaming is not activity: it does not move the conversation up the list. */
  renameConversation(id: number, title: string): Conversation | undefined {
    const clean = requireTitle(title)
    if (!isId(id)) return undefined
    if (this.statements.renameConversation.run(clean, id).changes === 0) return undefined
    return this.getConversation(id)
  }

  deleteConversation(id: number): boolean {
    if (!isId(id)) return false
    const deleted = this.db.transaction(() => {
      const drafts = (this.statements.liveDraftsOf.all(id) as { id: number }[]).map((row) => row.id)
      return { drafts, changes: this.statements.deleteConversation.run(id).changes }
    })()
    // A draft still streaming into a deleted conversation has nowhere to go: drop its buffered text.
    for (const draftId of deleted.drafts) {
      this.flusher.discard(draftId)
      this.liveDrafts.delete(draftId)
    }
    return deleted.changes > 0
  }

  /** People's messages and system notes (and imported drafts): written whole, never streamed. */
  addMessage(input: {
    conversationId: number
    role: MessageRole
    text: string
    source: string
    status?: MessageStatus
  }): Message {
    const conversationId = requireId(input?.conversationId, 'conversationId')
    const role = requireRole(input.role)
    const text = requireText(input.text)
    const source = requireSource(input.source)
    // A `streaming` row made here could never be appended to or finished; drafts go through startDraft.
    const status = requireStatus(input.status ?? 'complete', PEOPLE_STATUSES)
    return this.insertMessage({ conversationId, role, text, status, source, model: null })
  }

  /** Creates the draft row before the request is sent, so even a crash before the first token leaves a trace. */
  startDraft(input: { conversationId: number; source: string; model: string }): Message {
    const conversationId = requireId(input?.conversationId, 'conversationId')
    const source = requireSource(input.source)
    const model = requireShortText(input.model, 'The model name')
    const message = this.insertMessage({ conversationId, role: 'assistant_draft', text: '', status: 'streaming', source, model })
    this.liveDrafts.set(message.id, conversationId)
    return message
  }

  /** Buffers text for a streaming draft; it reaches the database at the next flush (no write per call). */
  appendDraftText(messageId: number, text: string): void {
    this.assertOpen()
    if (!this.liveDrafts.has(messageId)) throw this.notLiveError(messageId)
    this.flusher.append(messageId, requireText(text, 'Draft text'))
  }

  /** Writes the draft's pending text and its outcome in one transaction, and moves the conversation up. */
  finishDraft(messageId: number, result: DraftResult): Message {
    this.assertOpen()
    const conversationId = this.liveDrafts.get(messageId)
    if (conversationId === undefined) throw this.notLiveError(messageId)
    const status = requireStatus(result?.status, FINAL_STATUSES)
    const usage = requireUsage(result.usage)
    const values = {
      id: messageId,
      status,
      ...usage,
      firstTokenMs: optionalCount(result.firstTokenMs, 'firstTokenMs'),
      durationMs: optionalCount(result.durationMs, 'durationMs'),
      finishReason: optionalShortText(result.finishReason, 'The finish reason'),
      errorKind: optionalErrorKind(result.errorKind),
      errorMessage: optionalErrorMessage(result.errorMessage),
      now: this.timestamp(),
    }
    this.db.transaction(() => {
      const pending = this.flusher.peek(messageId)
      if (pending.length > 0) {
        this.statements.appendText.run(pending, values.now, messageId)
        this.counters.textWrites++
      }
      if (this.statements.finishDraft.run(values).changes === 0) {
        throw new StoreInputError(`Draft ${messageId} no longer exists or has already finished.`)
      }
      this.statements.touchConversation.run(values.now, conversationId)
    })()
    this.flusher.discard(messageId)
    this.liveDrafts.delete(messageId)
    return this.getMessage(messageId) as Message
  }

  /** A streaming draft of this store is returned with its buffered text, i.e. as a flush would leave it. */
  getMessage(id: number): Message | undefined {
    if (!isId(id)) return undefined
    const row = this.statements.getMessage.get(id) as MessageRow | undefined
    return row && this.withPending(row)
  }

  /** Oldest first. */
  getMessages(conversationId: number): Message[] {
    if (!isId(conversationId)) return []
    return (this.statements.getMessages.all(conversationId) as MessageRow[]).map((row) => this.withPending(row))
  }

  getDetail(conversationId: number): ConversationDetail | undefined {
    if (!isId(conversationId)) return undefined
    // One read transaction, so the conversation and its messages are from the same moment.
    return this.db.transaction(() => {
      const conversation = this.getConversation(conversationId)
      return conversation && { conversation, messages: this.getMessages(conversationId) }
    })()
  }

  /**
   * Newest activity first, keyset-paged. With `q`, only conversations with a finished message matching
   * every word (the last one as a prefix), each with its most recent matching message as `hit`.
   */
  listConversations(query: ListQuery = {}): ConversationPage {
    const limit = pageSize(query.limit)
    const after = query.cursor === undefined || query.cursor === null ? TOP_OF_LIST : decodeCursor(query.cursor)
    const position = { afterUpdatedAt: after.updatedAt, afterId: after.id, limit: limit + 1 }
    if (query.q !== undefined && query.q !== null && typeof query.q !== 'string') {
      throw new StoreInputError('The search text must be text.')
    }
    const q = query.q?.trim() ?? ''
    let rows: ConversationHitRow[]
    if (q.length === 0) {
      rows = this.statements.listConversations.all(position) as ConversationHitRow[]
    } else {
      const match = toFtsQuery(q)
      if (match === null) return { conversations: [], nextCursor: null }
      rows = this.statements.searchConversations.all({ ...position, match, hitStart: HIT_START, hitEnd: HIT_END }) as ConversationHitRow[]
    }
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return {
      conversations: page.map(toConversationHit),
      nextCursor: rows.length > limit && last ? encodeCursor({ updatedAt: last.updated_at, id: last.id }) : null,
    }
  }

  /** Writes all buffered draft text now, in one transaction. */
  flush(): void {
    // After close() there is nothing left to write (close flushed), so this is a harmless no-op.
    if (this.closed) return
    this.flusher.flush()
  }

  /**
   * Flushes, then closes the database. Drafts still streaming stay `streaming` in the file and are
   * recovered as `interrupted` at the next open. Safe to call twice.
   */
  close(): void {
    if (this.closed) return
    try {
      this.flusher.flush()
    } finally {
      this.flusher.dispose()
      this.liveDrafts.clear()
      this.closed = true
      this.db.close()
    }
  }

  private insertMessage(values: {
    conversationId: number
    role: MessageRole
    text: string
    status: MessageStatus
    source: string
    model: string | null
  }): Message {
    this.assertOpen()
    const now = this.timestamp()
    const id = this.db.transaction(() => {
      if (this.statements.touchConversation.run(now, values.conversationId).changes === 0) {
        throw new StoreInputError(`Conversation ${values.conversationId} does not exist.`)
      }
      return Number(this.statements.insertMessage.run({ ...values, now }).lastInsertRowid)
    })()
    return {
      id,
      conversationId: values.conversationId,
      role: values.role,
      text: values.text,
      status: values.status,
      source: values.source,
      model: values.model,
      usage: { promptTokens: null, outputTokens: null, totalTokens: null },
      firstTokenMs: null,
      durationMs: null,
      finishReason: null,
      errorKind: null,
      errorMessage: null,
      createdAt: now,
      updatedAt: now,
    }
  }

  private writeBatch(batch: ReadonlyMap<number, string>): void {
    const now = this.timestamp()
    this.db.transaction(() => {
      for (const [id, text] of batch) this.statements.appendText.run(text, now, id)
    })()
    this.counters.flushes++
    this.counters.textWrites += batch.size
  }

  private withPending(row: MessageRow): Message {
    return toMessage(row, row.status === 'streaming' ? this.flusher.peek(row.id) : '')
  }

  private notLiveError(messageId: number): StoreInputError {
    return new StoreInputError(`Message ${String(messageId)} is not a draft streaming in this store (unknown, finished or deleted).`)
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The transcript store for ${this.file} is closed.`)
  }

  private timestamp(): string {
    return this.now().toISOString()
  }
}

function pageSize(limit: unknown): number {
  if (limit === undefined || limit === null) return DEFAULT_PAGE_SIZE
  if (typeof limit !== 'number' || Number.isNaN(limit)) throw new StoreInputError('The page size must be a number.')
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)))
}
