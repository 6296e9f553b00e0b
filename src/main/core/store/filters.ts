// The conversation list with review filters (issue 9), combinable with each other and with full-text search,
// keyset-paged on (updated_at, id) as before.
//
// Every filter reads the conversation's own row (its draft summary, kept by migration 6's triggers) or a small
// table keyed by conversation, never the messages: walking conversations_by_activity newest first and checking
// each row stops as soon as a page is full. Lists travel as one JSON parameter (json_each), so a statement's
// text depends only on which filters are set, and a handful of prepared statements serve every combination.
import type Database from 'better-sqlite3'
import type { ConversationFilter, DraftOutcome, ReviewConversationPage } from '../../../shared/review'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/limits'
import { HIT_END, HIT_START } from '../../../shared/search-markers'
import { decodeCursor, encodeCursor } from './cursor'
import { StoreInputError } from './errors'
import { hasCjk, toCjkQuery, toFtsQuery } from './fts-query'
import { toConversationHit, type ConversationHitRow } from './rows'

/** The bit each outcome sets in conversations.draft_outcomes (migration 6). */
export const OUTCOME_BITS: Readonly<Record<DraftOutcome, number>> = { complete: 1, stopped: 2, error: 4, blocked: 8, interrupted: 16, truncated: 32 }
const FEEDBACK_UP = 1
const FEEDBACK_DOWN = 2

// Sorts after every ISO timestamp and every id: "start from the top" without a second statement.
const TOP_OF_LIST = { updatedAt: '~', id: Number.MAX_SAFE_INTEGER }
const SNIPPET_TOKENS = 16

export const CONVERSATION_COLUMNS = `c.id, c.title, c.source, c.created_at, c.updated_at, c.summary,
  (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count`

export interface FilterQuery extends ConversationFilter {
  limit?: number
  cursor?: string
}

/** SQL conditions on `c` (conversations) and their named parameters. */
export interface FilterSql {
  conditions: string[]
  params: Record<string, string | number>
}

/**
 * The filter's conditions on the conversation `c`. `dates: false` leaves out from/to, which statistics apply to
 * each draft's own time instead.
 */
export function filterConditions(filter: ConversationFilter, options: { dates: boolean } = { dates: true }): FilterSql {
  const conditions: string[] = []
  const params: Record<string, string | number> = {}
  if (options.dates) {
    const { from, to } = dateRange(filter)
    if (from !== null) {
      conditions.push('c.updated_at >= @from')
      params.from = from
    }
    if (to !== null) {
      conditions.push('c.updated_at < @to')
      params.to = to
    }
  }
  if (filter.status && filter.status.length > 0) {
    conditions.push('(c.draft_outcomes & @statusMask) <> 0')
    params.statusMask = filter.status.reduce((mask, status) => mask | OUTCOME_BITS[status], 0)
  }
  if (filter.source && filter.source.length > 0) {
    conditions.push('c.source IN (SELECT value FROM json_each(@sources))')
    params.sources = JSON.stringify(filter.source)
  }
  if (filter.tag && filter.tag.length > 0) {
    conditions.push('c.id IN (SELECT conversation_id FROM conversation_tags WHERE tag_id IN (SELECT value FROM json_each(@tags)))')
    params.tags = JSON.stringify(filter.tag)
  }
  if (filter.model && filter.model.length > 0) {
    conditions.push('c.id IN (SELECT conversation_id FROM conversation_models WHERE model IN (SELECT value FROM json_each(@models)))')
    params.models = JSON.stringify(filter.model)
  }
  if (filter.feedback && filter.feedback.length > 0) {
    const mask = (filter.feedback.includes('up') ? FEEDBACK_UP : 0) | (filter.feedback.includes('down') ? FEEDBACK_DOWN : 0)
    const parts = []
    if (mask !== 0) parts.push(`(c.feedback_flags & ${mask}) <> 0`)
    if (filter.feedback.includes('none')) parts.push('c.feedback_flags = 0')
    conditions.push(`(${parts.join(' OR ')})`)
  }
  if (filter.usedReply !== undefined) {
    conditions.push('c.has_reply = @usedReply')
    params.usedReply = filter.usedReply ? 1 : 0
  }
  return { conditions, params }
}

/** from/to as the store's ISO timestamps: from inclusive, to exclusive (a date alone runs through its UTC day). */
export function dateRange(filter: Pick<ConversationFilter, 'from' | 'to'>): { from: string | null; to: string | null } {
  return { from: bound(filter.from, false), to: bound(filter.to, true) }
}

function bound(value: string | undefined, end: boolean): string | null {
  if (value === undefined || value === '') return null
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const time = Date.parse(dateOnly ? `${value}T00:00:00.000Z` : value)
  if (Number.isNaN(time)) throw new StoreInputError(`${end ? 'to' : 'from'} must be a date (YYYY-MM-DD) or an ISO 8601 time.`)
  return new Date(dateOnly && end ? time + 86_400_000 : time).toISOString()
}

/** Lists conversations with filters; one per store, holding its prepared statements by shape. */
export class ConversationLister {
  private readonly statements = new Map<string, Database.Statement>()
  private readonly tagsOf: Database.Statement

  constructor(private readonly db: Database.Database) {
    this.tagsOf = db.prepare('SELECT conversation_id, tag_id FROM conversation_tags WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY tag_id')
  }

  /**
   * Newest activity first, keyset-paged. With `q`, only conversations with a finished message matching every word
   * (the last one as a prefix; with CJK characters, every chunk as a substring), each with its most recent matching
   * message as `hit`.
   */
  list(query: FilterQuery = {}): ReviewConversationPage {
    const limit = pageSize(query.limit)
    const after = query.cursor === undefined || query.cursor === null ? TOP_OF_LIST : decodeCursor(query.cursor)
    if (query.q !== undefined && query.q !== null && typeof query.q !== 'string') throw new StoreInputError('The search text must be text.')
    const { conditions, params } = filterConditions(query)
    const values: Record<string, string | number> = { ...params, afterUpdatedAt: after.updatedAt, afterId: after.id, limit: limit + 1 }
    const where = ['(c.updated_at, c.id) < (@afterUpdatedAt, @afterId)', ...conditions].join(' AND ')
    const q = query.q?.trim() ?? ''
    let rows: ConversationHitRow[]
    if (q.length === 0) {
      const sql = `SELECT ${CONVERSATION_COLUMNS}, NULL AS hit_message_id, NULL AS hit_snippet FROM conversations c
        WHERE ${where} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit`
      rows = this.statement(sql).all(values) as ConversationHitRow[]
    } else if (hasCjk(q)) {
      const cjk = toCjkQuery(q)
      if (cjk === null) return { conversations: [], nextCursor: null }
      const found = this.statement(cjkSearchSql(where, cjk.match !== null, cjk.likes.length)).all({
        ...values,
        ...(cjk.match === null ? {} : { match: cjk.match }),
        ...Object.fromEntries(cjk.likes.map((like, i) => [`like${i}`, like])),
      }) as ConversationHitRow[]
      rows = found.map((row) => ({ ...row, hit_snippet: row.hit_snippet === null ? null : cjkSnippet(row.hit_snippet, cjk.chunks) }))
    } else {
      const match = toFtsQuery(q)
      if (match === null) return { conversations: [], nextCursor: null }
      rows = this.statement(searchSql(where)).all({ ...values, match, hitStart: HIT_START, hitEnd: HIT_END }) as ConversationHitRow[]
    }
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    const tags = this.tagIds(page.map((row) => row.id))
    return {
      conversations: page.map((row) => ({ ...toConversationHit(row), tagIds: tags.get(row.id) ?? [] })),
      nextCursor: rows.length > limit && last ? encodeCursor({ updatedAt: last.updated_at, id: last.id }) : null,
    }
  }

  /** The tag ids of each conversation, in one read. */
  tagIds(conversationIds: readonly number[]): Map<number, number[]> {
    const byConversation = new Map<number, number[]>()
    if (conversationIds.length === 0) return byConversation
    for (const row of this.tagsOf.all(JSON.stringify(conversationIds)) as { conversation_id: number; tag_id: number }[]) {
      const list = byConversation.get(row.conversation_id) ?? []
      list.push(row.tag_id)
      byConversation.set(row.conversation_id, list)
    }
    return byConversation
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }
}

// The page is chosen first (inner query) so counts and snippets are computed only for its rows. The hit is the
// conversation's most recent matching message, the one an agent most likely wants.
function searchSql(where: string): string {
  return `
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
      WHERE ${where}
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT @limit
    ) page
    JOIN conversations c ON c.id = page.conversation_id
    ORDER BY c.updated_at DESC, c.id DESC`
}

// The same over the trigram index. Without a chunk of three characters there is no MATCH: the CJK messages are
// scanned with LIKE (slower, and only for one- and two-character queries).
function cjkSearchSql(where: string, withMatch: boolean, likes: number): string {
  const likeConditions = Array.from({ length: likes }, (_, i) => `m.text LIKE @like${i} ESCAPE '\\'`)
  const source = withMatch
    ? `messages_trigram JOIN messages m ON m.id = messages_trigram.rowid WHERE messages_trigram MATCH @match${likeConditions.map((c) => ` AND ${c}`).join('')}`
    : `messages_cjk j JOIN messages m ON m.id = j.id WHERE ${likeConditions.join(' AND ')}`
  // The hit's whole text: its snippet is cut around the chunks in JS (cjkSnippet), since FTS5's snippet() counts
  // trigrams, not characters, and the LIKE path has no snippet() at all.
  return `
    SELECT ${CONVERSATION_COLUMNS}, page.message_id AS hit_message_id, (SELECT text FROM messages WHERE id = page.message_id) AS hit_snippet
    FROM (
      SELECT hits.conversation_id, hits.message_id
      FROM (SELECT m.conversation_id, max(m.id) AS message_id FROM ${source} GROUP BY m.conversation_id) hits
      JOIN conversations c ON c.id = hits.conversation_id
      WHERE ${where}
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT @limit
    ) page
    JOIN conversations c ON c.id = page.conversation_id
    ORDER BY c.updated_at DESC, c.id DESC`
}

function pageSize(limit: unknown): number {
  if (limit === undefined || limit === null) return DEFAULT_PAGE_SIZE
  if (typeof limit !== 'number' || Number.isNaN(limit)) throw new StoreInputError('The page size must be a number.')
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)))
}

const SNIPPET_RADIUS = 40

/**
 * About SNIPPET_RADIUS characters either side of the first chunk found, each chunk in the window marked as FTS5's
 * snippet() marks a hit, with '…' where the text was cut. Matching ignores case, as the trigram index does.
 */
export function cjkSnippet(text: string, chunks: readonly string[]): string {
  const lower = text.toLowerCase()
  // toLowerCase may change a string's length (rarely); then positions would not line up, so no marks.
  const comparable = lower.length === text.length
  const first = comparable ? Math.min(...chunks.map((c) => lower.indexOf(c.toLowerCase())).filter((i) => i >= 0)) : Infinity
  const centre = Number.isFinite(first) ? first : 0
  const start = Math.max(0, centre - SNIPPET_RADIUS)
  const end = Math.min(text.length, centre + SNIPPET_RADIUS * 2)
  let window = text.slice(start, end)
  if (comparable) {
    const marks = chunks.map((c) => c.toLowerCase()).filter((c) => c.length > 0)
    const pattern = new RegExp(marks.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu')
    if (marks.length > 0) window = window.replace(pattern, (hit) => `${HIT_START}${hit}${HIT_END}`)
  }
  return `${start > 0 ? '…' : ''}${window}${end < text.length ? '…' : ''}`
}
