// The conversation list with review filters (issue 9), combinable with each other and with full-text search,
// keyset-paged on (updated_at, id) as before.
//
// Every filter reads the conversation's own row (its draft summary, kept by migration 6's triggers) or a small
// table keyed by conversation, never the messages: walking conversations_by_activity newest first and checking
// each row stops as soon as a page is full. Lists travel as one JSON parameter (json_each), so a statement's
// text depends only on which filters are set, and a handful of prepared statements serve every combination.
import type Database from 'better-sqlite3'
import type { ConversationFilter, ConversationQuery, DraftOutcome, ReviewConversationPage } from '../../../shared/review'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/limits'
import { HIT_END, HIT_START } from '../../../shared/search-markers'
import { decodeCursor, encodeCursor } from './cursor'
import { StoreInputError } from './errors'
import { hasCjk, plainPrefix, toCjkQuery, toFtsQuery, withExpandedPrefix } from './fts-query'
import { toConversationHit, type ConversationHitRow, type ConversationRow } from './rows'
import { MAX_DIRECT_CHECKS, searchPage, type HitSource, type PageHit } from './search-page'

/** The bit each outcome sets in conversations.draft_outcomes (migration 6). */
export const OUTCOME_BITS: Readonly<Record<DraftOutcome, number>> = { complete: 1, stopped: 2, error: 4, blocked: 8, interrupted: 16, truncated: 32 }
const FEEDBACK_UP = 1
const FEEDBACK_DOWN = 2

// Sorts after every ISO timestamp and every id: "start from the top" without a second statement.
const TOP_OF_LIST = { updatedAt: '~', id: Number.MAX_SAFE_INTEGER }
const SNIPPET_TOKENS = 16
/** A prefix that starts more words than this is searched as a prefix, not as an OR of its words. */
const MAX_PREFIX_TERMS = 64

export const CONVERSATION_COLUMNS = `c.id, c.title, c.source, c.created_at, c.updated_at, c.summary,
  (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count`

/** SQL conditions on `c` (conversations) and their named parameters. */
export interface FilterSql {
  conditions: string[]
  params: Record<string, string | number>
}

/**
 * The filter's conditions on the conversation `c`. `dates: false` leaves out from/to, which statistics apply to
 * each draft's own time instead. `whole: true` is for a pass over everything (statistics, export), where one list
 * of the model's conversations serves every row; a page stops early and checks each row it walks instead.
 */
export function filterConditions(filter: ConversationFilter, options: { dates: boolean; whole?: boolean } = { dates: true }): FilterSql {
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
    // Correlated, through the table's primary key: a model drafts in a large share of conversations, so the walk
    // down the list stops soon, where building the list of all of them first would cost every time.
    conditions.push(
      options.whole
        ? 'c.id IN (SELECT conversation_id FROM conversation_models WHERE model IN (SELECT value FROM json_each(@models)))'
        : 'EXISTS (SELECT 1 FROM conversation_models cm WHERE cm.conversation_id = c.id AND cm.model IN (SELECT value FROM json_each(@models)))',
    )
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
    this.tagsOf = db.prepare(
      'SELECT conversation_id, tag_id FROM conversation_tags WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY tag_id',
    )
  }

  /**
   * Newest activity first, keyset-paged. With `q`, only conversations with a finished message matching every word
   * (the last one as a prefix; with CJK characters, every chunk as a substring), each with its most recent matching
   * message as `hit`.
   */
  list(query: ConversationQuery = {}): ReviewConversationPage {
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
    } else {
      const statement = (sql: string): Database.Statement => this.statement(sql)
      const search = hasCjk(q) ? cjkSearch(q, statement) : wordSearch(q, statement)
      if (search === null) return { conversations: [], nextCursor: null }
      const hits = searchPage(
        (sql) => this.statement(sql),
        search.source,
        { where, values: { ...params, afterUpdatedAt: after.updatedAt, afterId: after.id } },
        limit + 1,
      )
      rows = this.pageRows(hits, search)
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

  /** The conversations of a page of hits, in its order, each with its hit's snippet. */
  private pageRows(hits: PageHit[], search: Search): ConversationHitRow[] {
    if (hits.length === 0) return []
    const rows = this.statement(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.id IN (SELECT value FROM json_each(?))`).all(
      JSON.stringify(hits.map((h) => h.conversationId)),
    ) as ConversationRow[]
    const byId = new Map(rows.map((row) => [row.id, row]))
    const snippets = search.snippets(hits.map((hit) => hit.messageId))
    return hits.flatMap((hit) => {
      const row = byId.get(hit.conversationId)
      if (!row) return []
      return [{ ...row, hit_message_id: hit.messageId, hit_snippet: snippets.get(hit.messageId) ?? null }]
    })
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

/** A search: how its hits are read, and the snippets of a page's hits. */
interface Search {
  source: HitSource
  snippets(messageIds: readonly number[]): Map<number, string>
}

type Prepare = (sql: string) => Database.Statement

/** Words (unicode61 index): every word, the last one as a prefix. */
function wordSearch(q: string, statement: Prepare): Search | null {
  let match = toFtsQuery(q)
  if (match === null) return null
  // A plain last word is expanded into the words it starts (see withExpandedPrefix), when they are few.
  const prefix = plainPrefix(q)
  // An unexpanded prefix merges all its words' lists on every check: a couple at most.
  let checkBudget = prefix === null ? MAX_DIRECT_CHECKS : 2
  if (prefix !== null) {
    const terms = statement(`SELECT term FROM messages_fts_vocab WHERE term >= @prefix AND term < @end ORDER BY term LIMIT ${MAX_PREFIX_TERMS + 1}`)
      .pluck()
      .all({ prefix, end: `${prefix}\u{10ffff}` }) as string[]
    if (terms.length === 0) return null
    if (terms.length <= MAX_PREFIX_TERMS) {
      match = withExpandedPrefix(match, terms)
      checkBudget = terms.length === 1 ? MAX_DIRECT_CHECKS : terms.length <= 4 ? 8 : 2
    }
  }
  const query = match
  // FTS5's snippet() weighs every term of the query for each row: fine for a few, slow for a wide prefix.
  const fewTerms = checkBudget >= 8
  return {
    source: {
      hitsSql: `SELECT messages_fts.rowid AS id, m.conversation_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
        WHERE messages_fts MATCH @match AND messages_fts.rowid < CAST(@below AS INTEGER) ORDER BY messages_fts.rowid DESC LIMIT @n`,
      // CROSS JOIN: the conversation's messages first, each looked up in the index by rowid. (Rowids are bound
      // with CAST: better-sqlite3 binds a JS number as REAL, and FTS5 then does not seek by rowid.)
      checkSql: `SELECT m.id FROM messages m CROSS JOIN messages_fts ON messages_fts.rowid = m.id
        WHERE m.conversation_id = @conversationId AND messages_fts MATCH @match ORDER BY m.id DESC LIMIT 1`,
      params: { match: query },
      checkBudget,
    },
    // One query for the page: each rowid lookup of a prefix query would merge the prefix's lists again.
    snippets: (ids) => {
      if (ids.length === 0) return new Map()
      if (!fewTerms) {
        const texts = statement('SELECT id, text FROM messages WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
          id: number
          text: string
        }[]
        return new Map(texts.map((row) => [row.id, wordSnippet(row.text, q)]))
      }
      const rows = statement(
        `SELECT rowid AS id, snippet(messages_fts, 0, @hitStart, @hitEnd, '…', ${SNIPPET_TOKENS}) AS snippet FROM messages_fts
         WHERE messages_fts MATCH @match AND rowid >= CAST(@lo AS INTEGER) AND rowid <= CAST(@hi AS INTEGER) AND rowid IN (SELECT value FROM json_each(@ids))`,
      ).all({ match: query, lo: Math.min(...ids), hi: Math.max(...ids), ids: JSON.stringify(ids), hitStart: HIT_START, hitEnd: HIT_END }) as {
        id: number
        snippet: string
      }[]
      return new Map(rows.map((row) => [row.id, row.snippet]))
    },
  }
}

/**
 * CJK characters: chunks of three or more through the trigram index, shorter ones as LIKE on its hits; with only
 * short chunks, the messages with CJK text are read newest first and matched with LIKE (slower on a big archive).
 */
function cjkSearch(q: string, statement: Prepare): Search | null {
  const cjk = toCjkQuery(q)
  if (cjk === null) return null
  const likes = cjk.likes.map((_, i) => ` AND m.text LIKE @like${i} ESCAPE '\\'`).join('')
  const params: Record<string, string> = Object.fromEntries(cjk.likes.map((like, i) => [`like${i}`, like]))
  const source: HitSource =
    cjk.match !== null
      ? {
          hitsSql: `SELECT messages_trigram.rowid AS id, m.conversation_id FROM messages_trigram JOIN messages m ON m.id = messages_trigram.rowid
            WHERE messages_trigram MATCH @match AND messages_trigram.rowid < CAST(@below AS INTEGER)${likes} ORDER BY messages_trigram.rowid DESC LIMIT @n`,
          checkSql: `SELECT m.id FROM messages m CROSS JOIN messages_trigram ON messages_trigram.rowid = m.id
            WHERE m.conversation_id = @conversationId AND messages_trigram MATCH @match${likes} ORDER BY m.id DESC LIMIT 1`,
          params: { ...params, match: cjk.match },
          checkBudget: MAX_DIRECT_CHECKS,
        }
      : {
          // The trigram index's own list of the rows it holds (its docsize table, one row per indexed message): the
          // messages with CJK text, without testing every message's text for CJK characters.
          hitsSql: `SELECT d.id, m.conversation_id FROM messages_trigram_docsize d JOIN messages m ON m.id = d.id
            WHERE d.id < @below${likes} ORDER BY d.id DESC LIMIT @n`,
          checkSql: `SELECT m.id FROM messages m WHERE m.conversation_id = @conversationId AND m.status <> 'streaming'${likes} ORDER BY m.id DESC LIMIT 1`,
          params,
          checkBudget: MAX_DIRECT_CHECKS,
        }
  return {
    source,
    snippets: (ids) => {
      const rows = statement('SELECT id, text FROM messages WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
        id: number
        text: string
      }[]
      return new Map(rows.map((row) => [row.id, cjkSnippet(row.text, cjk.chunks)]))
    },
  }
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

const fold = (word: string): string => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
const TOKEN = /[\p{L}\p{N}]+/gu

/**
 * A snippet as FTS5's snippet() makes one, for a query of many terms: about SNIPPET_TOKENS words from a little
 * before the first match, every match marked (each word of the query whole, the last one as a prefix).
 */
export function wordSnippet(text: string, q: string): string {
  const words = [...q.matchAll(TOKEN)].map((m) => fold(m[0]))
  const last = words.at(-1) ?? ''
  const whole = new Set(words.slice(0, -1))
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length, folded: fold(m[0]) }))
  const hit = (folded: string): boolean => whole.has(folded) || (last !== '' && folded.startsWith(last))
  const first = Math.max(
    0,
    tokens.findIndex((t) => hit(t.folded)),
  )
  const from = Math.max(0, first - 4)
  const window = tokens.slice(from, from + SNIPPET_TOKENS)
  if (window.length === 0) return text.slice(0, 120)
  const startAt = from === 0 ? 0 : (window[0] as { start: number }).start
  const endAt = from + SNIPPET_TOKENS >= tokens.length ? text.length : (window[window.length - 1] as { end: number }).end
  let out = ''
  let at = startAt
  for (const t of window) {
    if (!hit(t.folded)) continue
    out += `${text.slice(at, t.start)}${HIT_START}${text.slice(t.start, t.end)}${HIT_END}`
    at = t.end
  }
  out += text.slice(at, endAt)
  return `${startAt > 0 ? '…' : ''}${out}${endAt < text.length ? '…' : ''}`
}
