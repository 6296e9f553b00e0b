// The transcript store: every conversation and message, in one local SQLite file.
//
// One TranscriptStore is the single writer for its file. Other connections may read at any time (WAL),
// and see a streaming draft's text as of the last flush.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type Database from 'better-sqlite3'
import type { Conversation, ConversationDetail, ErrorKind, Message, MessageRole, MessageStatus } from '../../../shared/domain'
import type { FinalStatus } from '../../../shared/generation-events'
import type { DraftSource } from '../../../shared/knowledge'
import { MESSAGE_KINDS, type DraftFeedback, type MessageKind } from '../../../shared/steering'
import type { ArchiveCounts, ConversationQuery, ConversationReview, ReviewConversationPage } from '../../../shared/review'
import { archiveCounts } from './backups'
import { durably, openDatabase } from './database'
import { StoreInputError } from './errors'
import { ConversationExporter } from './export'
import { CONVERSATION_COLUMNS, ConversationLister } from './filters'
import { ConversationImporter, newConversationUid } from './import'
import { ReplyUses } from './reply-use'
import { MESSAGE_COLUMNS, toConversation, toDraftSource, toMessage } from './rows'
import type { ConversationRow, DraftSourceRow, MessageRow } from './rows'
import { MAX_FEEDBACK_REASON_CHARS } from '../../../shared/limits'
import { ReviewStatistics } from './stats'
import { SavedFilterStore, TagStore } from './tags'
import { storageDraftError, storageFailureCode, StorageFailureError } from './storage-failure'
import { requireSources } from './draft-sources'
import { SnippetStore } from './snippets'
import { TextFlusher } from './text-flusher'
import { WalSync } from './wal-sync'
import { Checkpointer } from './checkpointer'
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
export { StorageFailureError } from './storage-failure'
export { HIT_END, HIT_START } from '../../../shared/search-markers'

/** How a draft can end: the same set a generation's end event names. */
export type FinalDraftStatus = FinalStatus

/** How a draft ended, in the fields its Message keeps. */
export interface DraftResult extends Pick<Message, 'usage' | 'firstTokenMs' | 'durationMs' | 'finishReason' | 'errorKind' | 'errorMessage'> {
  status: FinalDraftStatus
}

export interface TranscriptStoreOptions {
  /** How often buffered draft text is written; 1 to 250 ms. */
  flushIntervalMs?: number
  /** Clock for timestamps; tests pin it to make ordering and ties deterministic. */
  now?: () => Date
  /**
   * Called once when writing starts failing (full disk, read-only folder); the text stays buffered and is
   * retried with backoff. Default: one console.error line, without a stack.
   */
  onFlushError?: (error: unknown) => void
  /** First retry after a failed write (default 500 ms), doubling up to maxRetryMs (default 30 s). */
  firstRetryMs?: number
  maxRetryMs?: number
  /** Path of a better-sqlite3 addon built for this runtime; the Electron app passes its Electron-ABI build. */
  nativeBinding?: string
  /**
   * Commit people's messages with synchronous=FULL (default true). False leaves them to the connection's own
   * setting, so bench/synchronous.ts can measure NORMAL against FULL for them.
   */
  durableMessages?: boolean
}

export type StoredDetail = Omit<ConversationDetail, 'customerLanguage'>

export interface StoreStats {
  /** Batched flush transactions (timer or flush()). */
  flushes: number
  /** Text append statements run, by flushes and by finishDraft. */
  textWrites: number
}

export const DEFAULT_FLUSH_INTERVAL_MS = 150
export const MAX_FLUSH_INTERVAL_MS = 250

const FINAL_STATUSES: readonly FinalDraftStatus[] = ['complete', 'stopped', 'error', 'blocked', 'truncated']
const PEOPLE_STATUSES: readonly MessageStatus[] = ['complete', 'stopped', 'error', 'blocked', 'interrupted', 'truncated']

function prepareStatements(db: Database.Database) {
  return {
    insertConversation: db.prepare('INSERT INTO conversations (uid, title, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    getConversation: db.prepare(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?`),
    renameConversation: db.prepare('UPDATE conversations SET title = ? WHERE id = ?'),
    setSummary: db.prepare('UPDATE conversations SET summary = ? WHERE id = ?'),
    // Only drafts take feedback; the role guard makes the statement itself refuse anything else.
    setFeedback: db.prepare(`
      UPDATE messages SET feedback_rating = @rating, feedback_reason = @reason, feedback_at = @at
      WHERE id = @id AND role = 'assistant_draft'`),
    deleteConversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
    // Moving updated_at doubles as the existence check, inside the same transaction as the insert.
    touchConversation: db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?'),
    insertMessage: db.prepare(`
      INSERT INTO messages (conversation_id, role, text, status, source, model, kind, instruction, created_at, updated_at)
      VALUES (@conversationId, @role, @text, @status, @source, @model, @kind, @instruction, @now, @now)`),
    getMessage: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`),
    getMessages: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id`),
    liveDraftsOf: db.prepare("SELECT id FROM messages WHERE conversation_id = ? AND status = 'streaming'"),
    insertSource: db.prepare(`
      INSERT INTO draft_sources (message_id, n, passage_id, path, title, heading, text)
      VALUES (@messageId, @n, @passageId, @path, @title, @heading, @text)`),
    sourcesOfMessage: db.prepare('SELECT * FROM draft_sources WHERE message_id = ? ORDER BY n'),
    // One read for a whole conversation's sources, through the primary key of both tables.
    sourcesOfConversation: db.prepare(`
      SELECT s.* FROM draft_sources s JOIN messages m ON m.id = s.message_id
      WHERE m.conversation_id = ? ORDER BY s.message_id, s.n`),
    // Appending in SQL: a flush sends only the new text and never reads the draft back into JS.
    // (SQLite still rewrites the row, so cost per flush grows with draft length; fine at reply sizes.)
    // The status guard means a late flush can never add text to a finished message.
    appendText: db.prepare("UPDATE messages SET text = text || ?, updated_at = ? WHERE id = ? AND status = 'streaming'"),
    finishDraft: db.prepare(`
      UPDATE messages SET status = @status, prompt_tokens = @promptTokens, output_tokens = @outputTokens,
        total_tokens = @totalTokens, first_token_ms = @firstTokenMs, duration_ms = @durationMs,
        finish_reason = @finishReason, error_kind = @errorKind, error_message = @errorMessage, updated_at = @now
      WHERE id = @id AND status = 'streaming'`),
    recoverInterrupted: db.prepare("UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'"),
  }
}

type Statements = ReturnType<typeof prepareStatements>

/** A finished draft's outcome that could not be written yet: the finishDraft statement's values. */
interface KeptFinal {
  conversationId: number
  /** SQLite's code for why it could not be written. */
  code: string
  values: {
    id: number
    status: FinalDraftStatus
    promptTokens: number | null
    outputTokens: number | null
    totalTokens: number | null
    firstTokenMs: number | null
    durationMs: number | null
    finishReason: string | null
    errorKind: ErrorKind | null
    errorMessage: string | null
    now: string
  }
}

export class TranscriptStore {
  readonly file: string
  /** Drafts found still `streaming` at open (the app stopped mid-draft), now `interrupted`. */
  readonly recoveredInterrupted: number
  /** The copy written before this open migrated an older database, or null. */
  readonly backupFile: string | null
  /** The snippets (canned replies), kept in the same file. */
  readonly snippets: SnippetStore
  /** Tags on conversations and saved filters (issue 9). */
  readonly tags: TagStore
  readonly savedFilters: SavedFilterStore
  /** Bulk export (a page at a time), import of an export, and the dashboard's statistics. */
  readonly exporter: ConversationExporter
  readonly importer: ConversationImporter
  readonly statistics: ReviewStatistics

  private readonly db: Database.Database
  private readonly statements: Statements
  private readonly lister: ConversationLister
  private readonly replyUses: ReplyUses
  private readonly now: () => Date
  private readonly flusher: TextFlusher<KeptFinal>
  /** Drafts started by this store and not finished: message id → conversation id. */
  private readonly liveDrafts = new Map<number, number>()
  private readonly counters: StoreStats = { flushes: 0, textWrites: 0 }
  private closed = false
  /** Set while writeTogether() runs: people's messages inside it are made durable by its group commit. */
  private durableBatch = false
  private readonly walSync: WalSync
  private readonly durableMessages: boolean
  private latestMessage: Database.Statement | undefined
  private readonly checkpointer: Checkpointer
  /** Drafts started inside the running writeTogether(): not live after all if its transaction rolls back. */
  private draftsInBatch: number[] = []

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
    this.durableMessages = options.durableMessages ?? true
    const opened = openDatabase(file, this.now, options.nativeBinding)
    this.db = opened.db
    this.backupFile = opened.backupFile
    try {
      this.statements = prepareStatements(this.db)
      this.snippets = new SnippetStore(this.db, this.now)
      this.tags = new TagStore(this.db, this.now)
      this.savedFilters = new SavedFilterStore(this.db, this.now)
      this.lister = new ConversationLister(this.db)
      this.replyUses = new ReplyUses(this.db)
      this.exporter = new ConversationExporter(this.db)
      this.importer = new ConversationImporter(this.db, this.tags)
      this.statistics = new ReviewStatistics(this.db)
      // Nobody will finish a draft that was streaming when the last process ended; its text is kept.
      this.recoveredInterrupted = this.statements.recoverInterrupted.run(this.timestamp()).changes
    } catch (error) {
      this.db.close()
      throw error
    }
    // One line each when writes start failing and when they work again: never a stack per retry.
    const onFlushError =
      options.onFlushError ??
      ((error: unknown) =>
        console.error(`[transcript-store] cannot write ${file} (${describeError(error)}); draft text is kept in memory and retried with backoff`))
    // Checkpoints on a worker thread (checkpointer.ts), not inside whichever commit fills the WAL; if the worker
    // is lost, this connection checkpoints automatically again (SQLite's default, 1,000 pages).
    this.db.pragma('wal_autocheckpoint = 0')
    this.checkpointer = new Checkpointer(file, {
      nativeBinding: options.nativeBinding,
      onError: (error) => console.error(`[transcript-store] cannot checkpoint ${file} (${error}); retried every second`),
      onStopped: () => {
        if (!this.closed) this.db.pragma('wal_autocheckpoint = 1000')
      },
    })
    // The WAL is `<file>-wal` (journal_mode = WAL, database.ts); it exists from the first write on.
    this.walSync = new WalSync(`${file}-wal`, (error) =>
      console.error(
        `[transcript-store] cannot sync ${file}-wal (${describeError(error)}); new conversations are safe from a crash of the app, and from a power cut only after the next checkpoint`,
      ),
    )
    this.flusher = new TextFlusher<KeptFinal>(intervalMs, (texts, finals) => this.writeBatch(texts, finals), onFlushError, {
      firstRetryMs: options.firstRetryMs,
      maxRetryMs: options.maxRetryMs,
      onRecovered: (ms) =>
        console.error(`[transcript-store] ${file} is writable again; the draft text kept in memory is saved (after ${Math.round(ms / 1000)} s)`),
    })
  }

  get stats(): StoreStats {
    return { ...this.counters }
  }

  /** Resolves once every commit so far is synced to disk (writeTogether's group commit); for tests and shutdown. */
  synced(): Promise<void> {
    return this.walSync.request()
  }

  /** Completed group-commit syncs of the WAL. */
  get walSyncs(): number {
    return this.walSync.syncs
  }

  createConversation(input: { title: string; source: string }): Conversation {
    const title = requireTitle(input?.title)
    const source = requireSource(input?.source)
    const now = this.timestamp()
    const id = Number(this.statements.insertConversation.run(newConversationUid(), title, source, now, now).lastInsertRowid)
    return { id, title, source, createdAt: now, updatedAt: now, messageCount: 0, summary: null }
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

  /** Keeps the conversation's summary (a finished summary draft's text). Not activity: the list order stays. */
  setSummary(id: number, summary: string | null): Conversation | undefined {
    if (!isId(id)) return undefined
    const text = summary === null ? null : requireText(summary, 'The summary')
    if (this.statements.setSummary.run(text, id).changes === 0) return undefined
    return this.getConversation(id)
  }

  /**
   * The agent's thumbs up or down on a draft, with an optional reason; a null rating clears both. Undefined when
   * there is no such message; refused for a message that is not a draft (a person's message is not rated).
   */
  setFeedback(messageId: number, feedback: { rating: DraftFeedback['rating'] | null; reason?: string | null }): Message | undefined {
    if (!isId(messageId)) return undefined
    const rating = feedback?.rating ?? null
    if (rating !== null && rating !== 'up' && rating !== 'down') throw new StoreInputError('The rating must be up, down or none.')
    const reason = rating === null ? null : optionalFeedbackReason(feedback.reason)
    const changed = this.statements.setFeedback.run({ id: messageId, rating, reason, at: rating === null ? null : this.timestamp() }).changes
    if (changed === 0) {
      if (!this.statements.getMessage.get(messageId)) return undefined
      throw new StoreInputError(`Message ${messageId} is not a draft; only drafts take feedback.`)
    }
    return this.getMessage(messageId)
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
  addMessage(input: { conversationId: number; role: MessageRole; text: string; source: string; status?: MessageStatus }): Message {
    const conversationId = requireId(input?.conversationId, 'conversationId')
    const role = requireRole(input.role)
    const text = requireText(input.text)
    const source = requireSource(input.source)
    // A `streaming` row made here could never be appended to or finished; drafts go through startDraft.
    const status = requireStatus(input.status ?? 'complete', PEOPLE_STATUSES)
    // What a customer wrote and what an agent sent cannot be re-created: this commit survives a power cut too
    // (bench/synchronous.ts measured it; drafts and their flushes stay NORMAL, see database.ts).
    const insert = (): Message => this.insertMessage({ conversationId, role, text, status, source, model: null })
    // Inside writeTogether() the group commit makes it durable, off this thread.
    return this.durableBatch ? insert() : this.durable(insert)
  }

  /** People's messages cannot be re-created: their commit is fsynced (durableMessages). */
  private durable<T>(write: () => T): T {
    return this.durableMessages ? durably(this.db, write) : write()
  }

  /**
   * Runs `write` as one transaction, for the request path: a customer's message, the conversation it opens and
   * the draft row that answers it cost one commit instead of three, and no fsync on this thread. The commit
   * survives the application crashing at once, and a power cut once the WAL sync it asks for has run on the
   * thread pool (a few ms; one sync covers every request in between: wal-sync.ts). Nothing is written if `write`
   * throws.
   */
  writeTogether<T>(write: () => T): T {
    this.assertOpen()
    if (this.durableBatch) return write()
    this.durableBatch = true
    try {
      const result = this.db.transaction(write)()
      void this.walSync.request()
      return result
    } catch (error) {
      for (const id of this.draftsInBatch) this.liveDrafts.delete(id)
      throw error
    } finally {
      this.durableBatch = false
      this.draftsInBatch = []
    }
  }

  /**
   * The agent's reply, with how much it differs from the draft it came from (issue 9), measured once here: the
   * draft named, else the latest complete reply-like draft since the agent last replied (ReplyUses.resolve).
   */
  addReply(input: { conversationId: number; text: string; source: string; draftId?: number }): Message {
    const conversationId = requireId(input?.conversationId, 'conversationId')
    const text = requireText(input.text)
    const source = requireSource(input.source)
    if (input.draftId !== undefined) requireId(input.draftId, 'draftId')
    const draft = this.replyUses.resolve(conversationId, input.draftId)
    return this.durable(() =>
      this.db.transaction(() => {
        const message = this.insertMessage({ conversationId, role: 'agent', text, status: 'complete', source, model: null })
        if (draft) this.replyUses.record(message.id, draft, text)
        return message
      })(),
    )
  }

  /** The full timeline of a conversation: its messages, tags, and which reply came from which draft. */
  getReview(conversationId: number): ConversationReview | undefined {
    if (!isId(conversationId)) return undefined
    return this.db.transaction(() => {
      const conversation = this.getConversation(conversationId)
      if (!conversation) return undefined
      return {
        conversation,
        tags: this.tags.ofConversation(conversationId),
        messages: this.getMessages(conversationId),
        uses: this.replyUses.forConversation(conversationId),
      }
    })()
  }

  /** A consistent copy of the live database, made with SQLite's online backup API while writes go on. */
  async backupTo(file: string): Promise<void> {
    this.assertOpen()
    this.flusher.flush()
    await this.db.backup(file)
  }

  counts(): ArchiveCounts {
    return archiveCounts(this.db)
  }

  /** Creates the draft row before the request is sent, so even a crash before the first token leaves a trace. */
  startDraft(input: {
    conversationId: number
    source: string
    model: string
    sources?: readonly DraftSource[]
    /** What the draft is for (default 'reply'); a rewrite carries its instruction in words. */
    kind?: MessageKind
    instruction?: string | null
  }): Message {
    const conversationId = requireId(input?.conversationId, 'conversationId')
    const source = requireSource(input.source)
    const model = requireShortText(input.model, 'The model name')
    const kind = requireKind(input.kind ?? 'reply')
    const instruction = input.instruction === undefined || input.instruction === null ? null : requireText(input.instruction, 'The instruction')
    const sources = requireSources(input.sources ?? [])
    // The sources in the same transaction as the row: a draft is never seen without the passages it cites.
    const message = this.db.transaction(() => {
      const inserted = this.insertMessage({
        conversationId,
        role: 'assistant_draft',
        text: '',
        status: 'streaming',
        source,
        model,
        kind,
        instruction,
      })
      this.insertSources(inserted.id, sources)
      return { ...inserted, sources }
    })()
    this.liveDrafts.set(message.id, conversationId)
    if (this.durableBatch) this.draftsInBatch.push(message.id)
    return message
  }

  /**
   * A draft written whole rather than streamed (an offline draft assembled from the knowledge base), with the
   * passages it cites, saved `complete` in one transaction. Its model names what wrote it.
   */
  addOfflineDraft(input: { conversationId: number; source: string; model: string; text: string; sources: readonly DraftSource[] }): Message {
    const conversationId = requireId(input?.conversationId, 'conversationId')
    const source = requireSource(input.source)
    const model = requireShortText(input.model, 'The model name')
    const text = requireText(input.text)
    const sources = requireSources(input.sources)
    return this.db.transaction(() => {
      const inserted = this.insertMessage({ conversationId, role: 'assistant_draft', text, status: 'complete', source, model, kind: 'offline' })
      this.insertSources(inserted.id, sources)
      return { ...inserted, sources }
    })()
  }

  /** Buffers text for a streaming draft; it reaches the database at the next flush (no write per call). */
  appendDraftText(messageId: number, text: string): void {
    this.assertOpen()
    if (!this.liveDrafts.has(messageId)) throw this.notLiveError(messageId)
    this.flusher.append(messageId, requireText(text, 'Draft text'))
  }

  /**
   * Writes the draft's pending text and its outcome in one transaction, and moves the conversation up.
   * When the database cannot be written (full disk, read-only folder) the text and outcome are kept and
   * written by a later retry, and this throws a StorageFailureError saying so.
   */
  finishDraft(messageId: number, result: DraftResult): Message {
    this.endDraft(messageId, result)
    return this.getMessage(messageId) as Message
  }

  /** finishDraft without reading the message back: what the drafting service calls on its hot path. */
  endDraft(messageId: number, result: DraftResult): void {
    this.assertOpen()
    const conversationId = this.liveDrafts.get(messageId)
    if (conversationId === undefined) throw this.notLiveError(messageId)
    // Checked against FINAL_STATUSES, so it is one of them.
    const status = requireStatus(result?.status, FINAL_STATUSES) as FinalDraftStatus
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
    try {
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
    } catch (error) {
      const code = storageFailureCode(error)
      if (code === undefined) throw error
      this.flusher.keepFinal(messageId, { conversationId, code, values }, error)
      this.liveDrafts.delete(messageId)
      throw new StorageFailureError(code, { cause: error })
    }
    this.flusher.discard(messageId)
    this.liveDrafts.delete(messageId)
  }

  /** A streaming draft of this store is returned with its buffered text, i.e. as a flush would leave it. */
  getMessage(id: number): Message | undefined {
    if (!isId(id)) return undefined
    const row = this.statements.getMessage.get(id) as MessageRow | undefined
    if (!row) return undefined
    const sources = (this.statements.sourcesOfMessage.all(id) as DraftSourceRow[]).map(toDraftSource)
    return this.withPending(row, sources)
  }

  /** Oldest first. */
  /** The conversation's newest message id, 0 when it has none: one index lookup, no rows read. */
  latestMessageId(conversationId: number): number {
    if (!isId(conversationId)) return 0
    this.latestMessage ??= this.db.prepare('SELECT MAX(id) AS id FROM messages WHERE conversation_id = ?')
    return (this.latestMessage.get(conversationId) as { id: number | null }).id ?? 0
  }

  getMessages(conversationId: number): Message[] {
    if (!isId(conversationId)) return []
    const sources = new Map<number, DraftSource[]>()
    for (const row of this.statements.sourcesOfConversation.all(conversationId) as DraftSourceRow[]) {
      const list = sources.get(row.message_id) ?? []
      list.push(toDraftSource(row))
      sources.set(row.message_id, list)
    }
    return (this.statements.getMessages.all(conversationId) as MessageRow[]).map((row) => this.withPending(row, sources.get(row.id)))
  }

  /** The conversation and its messages; what is worked out from them (the customer's language) is the API's. */
  getDetail(conversationId: number): StoredDetail | undefined {
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
  listConversations(query: ConversationQuery = {}): ReviewConversationPage {
    return this.lister.list(query)
  }

  /** Writes all buffered draft text now, in one transaction. */
  flush(): void {
    // After close() there is nothing left to write (close flushed), so this is a harmless no-op.
    if (this.closed) return
    this.flusher.flush()
  }

  /**
   * Flushes, then closes the database. Drafts still streaming stay `streaming` in the file and are
   * recovered as `interrupted` at the next open. Text that cannot be written now is not dropped: it goes to a
   * recovery file (see writeRecoveryFile). Safe to call twice.
   */
  close(): void {
    if (this.closed) return
    try {
      this.flusher.flush()
    } catch (error) {
      this.writeRecoveryFile(error)
    } finally {
      this.flusher.dispose()
      this.liveDrafts.clear()
      this.closed = true
      this.walSync.close()
      this.checkpointer.close()
      this.db.close()
    }
  }

  private insertMessage(
    input: Pick<Message, 'conversationId' | 'role' | 'text' | 'status' | 'source' | 'model'> & {
      /** Default 'reply', with no instruction. */
      kind?: MessageKind
      instruction?: string | null
    },
  ): Message {
    this.assertOpen()
    const now = this.timestamp()
    const values = { ...input, kind: input.kind ?? 'reply', instruction: input.instruction ?? null }
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
      kind: values.kind,
      instruction: values.instruction,
      feedback: null,
      sources: [],
      createdAt: now,
      updatedAt: now,
    }
  }

  private insertSources(messageId: number, sources: readonly DraftSource[]): void {
    for (const source of sources) {
      this.statements.insertSource.run({ messageId, ...source, heading: JSON.stringify(source.heading) })
    }
  }

  private writeBatch(texts: ReadonlyMap<number, string>, finals: ReadonlyMap<number, KeptFinal>): void {
    const now = this.timestamp()
    this.db.transaction(() => {
      for (const [id, text] of texts) this.statements.appendText.run(text, now, id)
      // Drafts that finished while the database could not be written: their outcome, after their text.
      // A row deleted meanwhile simply matches nothing.
      for (const { conversationId, values } of finals.values()) {
        if (this.statements.finishDraft.run({ ...values, now }).changes > 0) this.statements.touchConversation.run(now, conversationId)
      }
    })()
    this.counters.flushes++
    this.counters.textWrites += texts.size
  }

  private withPending(row: MessageRow, sources: DraftSource[] = []): Message {
    if (row.status !== 'streaming') return toMessage(row, '', sources)
    const message = toMessage(row, this.flusher.peek(row.id), sources)
    const kept = this.flusher.finalOf(row.id)
    if (!kept) return message
    // Finished, but not saved yet: say so rather than show it streaming forever or as saved.
    const error = storageDraftError(kept.code)
    return { ...message, status: 'error', finishReason: kept.values.finishReason, errorKind: error.kind, errorMessage: error.message }
  }

  /**
   * At close, text the database would not take is written to \`unsaved-drafts-<time>.json\` next to the
   * database, else to the system's temp folder, else to stderr, and the log says where. Each entry holds the
   * draft's whole text (what the file has plus what it could not take) and its outcome, if it had finished.
   */
  private writeRecoveryFile(error: unknown): void {
    const drafts = this.flusher.unsaved().map(({ messageId, text, final }) => {
      let saved = ''
      try {
        saved = (this.statements.getMessage.get(messageId) as MessageRow | undefined)?.text ?? ''
      } catch {
        // Unreadable as well: the unsaved part is still worth keeping.
      }
      return {
        messageId,
        conversationId: final?.conversationId ?? this.liveDrafts.get(messageId) ?? null,
        text: saved + text,
        unsavedText: text,
        status: final?.values.status ?? 'streaming',
        result: final?.values ?? null,
      }
    })
    const stamp = this.timestamp().replace(/[:.]/g, '-')
    const content = JSON.stringify({ database: this.file, reason: describeError(error), drafts }, null, 2)
    const targets = [join(dirname(this.file), `unsaved-drafts-${stamp}.json`), join(tmpdir(), `support-console-unsaved-drafts-${stamp}.json`)]
    for (const target of targets) {
      try {
        writeFileSync(target, content, { mode: 0o600, flag: 'wx' })
        console.error(
          `[transcript-store] could not save ${drafts.length} draft(s) to ${this.file} before closing (${describeError(error)}); their text is in ${target}`,
        )
        return
      } catch {
        // Try the next place.
      }
    }
    console.error(
      `[transcript-store] could not save ${drafts.length} draft(s) to ${this.file} before closing, nor write a recovery file; here they are:\n${content}`,
    )
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

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  return typeof code === 'string' ? `${code}: ${message}` : message
}

function requireKind(kind: unknown): MessageKind {
  if (!(MESSAGE_KINDS as readonly unknown[]).includes(kind)) throw new StoreInputError(`The draft kind must be one of: ${MESSAGE_KINDS.join(', ')}.`)
  return kind as MessageKind
}

function optionalFeedbackReason(reason: unknown): string | null {
  if (reason === undefined || reason === null) return null
  if (typeof reason !== 'string' || reason.length > MAX_FEEDBACK_REASON_CHARS) {
    throw new StoreInputError(`The reason must be text of at most ${MAX_FEEDBACK_REASON_CHARS} characters.`)
  }
  return reason.trim() === '' ? null : reason.trim()
}
