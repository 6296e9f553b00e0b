// One page of search results, exact and without reading every hit (issue 9: under 50 ms on 1,000,000 messages).
//
// The list is ordered by the conversation's last activity, but a search finds messages. Grouping every hit by
// conversation first costs time in proportion to the hits: a word in most messages means most of the archive on
// every keystroke. Instead the hits are read newest first (message ids grow with time), a chunk at a time, while
// the filter's conversations are walked in list order. The page is the first K walked conversations with a hit,
// and it is complete once every conversation walked before the K-th is settled: found among the hits read, or
// proven to have none (every hit from its first message on has been read already), or checked directly (a few
// index lookups for one word; used for the leading few, or when most conversations walked have a hit).
// A rare word reads all its hits (few); a common one stops after a few hundred; a selective filter with a common
// word checks the filter's conversations one by one. Exact in every case: the page grouping all hits would give.
import type Database from 'better-sqlite3'

/** How the hits of one search are read. */
export interface HitSource {
  /** `id`, `conversation_id` of hits with id < @below, newest first, at most @n; its own parameters in `params`. */
  hitsSql: string
  /** The newest hit `id` in conversation @conversationId, if any. */
  checkSql: string
  params: Record<string, string | number>
  /**
   * How many conversations may be checked one by one per round: checkSql costs a few index lookups for one word,
   * but sets up every term again for a query of many (an expanded or unexpanded prefix).
   */
  checkBudget: number
}

export interface PageFilter {
  /** Conditions on `c` (keyset position included) and their parameters. */
  where: string
  values: Record<string, string | number>
}

const FIRST_CHUNK = 256
const MAX_CHUNK = 65_536
/** Conversations checked one by one at most per round, for a search of one word. */
export const MAX_DIRECT_CHECKS = 24

export interface PageHit {
  conversationId: number
  messageId: number
}

/** The top `k` conversations with a hit, by (updated_at, id) descending, each with its newest hit. */
export function searchPage(statement: (sql: string) => Database.Statement, source: HitSource, filter: PageFilter, k: number): PageHit[] {
  const hits = statement(source.hitsSql)
  const check = statement(source.checkSql)
  const top = statement(`
    SELECT c.id FROM conversations c
    WHERE c.id IN (SELECT value FROM json_each(@found)) AND ${filter.where}
    ORDER BY c.updated_at DESC, c.id DESC LIMIT @k`)
  // The filter's conversations in list order, as the page walks them.
  const walk = statement(`SELECT c.id FROM conversations c WHERE ${filter.where} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit`)
  const firstMessage = statement('SELECT min(id) AS first FROM messages WHERE conversation_id = ?')
  const found = new Map<number, number>()
  const missed = new Set<number>()
  let below = Number.MAX_SAFE_INTEGER
  let chunk = FIRST_CHUNK
  let walkLimit = k * 4
  let fetch = true
  const settle = (id: number, hit: { id: number } | undefined): void => {
    if (hit) found.set(id, hit.id)
    else missed.add(id)
  }
  for (;;) {
    if (fetch) {
      const rows = hits.all({ ...source.params, below, n: chunk }) as { id: number; conversation_id: number }[]
      for (const row of rows) if (!found.has(row.conversation_id)) found.set(row.conversation_id, row.id)
      if (rows.length > 0) below = (rows[rows.length - 1] as { id: number }).id
      // Every hit has been read: the best k found are the page.
      if (rows.length < chunk) {
        const page = top.all({ ...filter.values, found: JSON.stringify([...found.keys()]), k }) as { id: number }[]
        return page.map((row) => ({ conversationId: row.id, messageId: found.get(row.id) as number }))
      }
      chunk = Math.min(MAX_CHUNK, chunk * 4)
    }
    fetch = true
    // Walk the filter's conversations in list order: the page is the first k with a hit, once every conversation
    // before the k-th is settled. Every hit at or above `below` has been read, so a conversation whose first
    // message is there and that was not found has none; the others are open until a check settles them.
    const ordered = walk.all({ ...filter.values, limit: walkLimit }) as { id: number }[]
    const page: PageHit[] = []
    const open: number[] = []
    let settledWithHit = 0
    let settledWithout = 0
    for (const { id } of ordered) {
      const hit = found.get(id)
      if (hit !== undefined) {
        settledWithHit++
        if (open.length === 0) page.push({ conversationId: id, messageId: hit })
        if (page.length === k) break
        continue
      }
      if (!missed.has(id)) {
        const first = (firstMessage.get(id) as { first: number | null }).first
        if (first === null || first >= below) missed.add(id)
        else open.push(id)
      }
      if (missed.has(id)) settledWithout++
      // Only the leading open ones can be checked this round.
      if (open.length > source.checkBudget) break
    }
    if (open.length === 0) {
      if (page.length === k || ordered.length < walkLimit) return page
      walkLimit *= 4
      fetch = false
      continue
    }
    // The open conversations that lead the walk are checked one by one when that settles the page, or when most
    // conversations walked so far have a hit (a common word: each check most likely finds one); otherwise reading
    // more hits settles them faster.
    const likely = settledWithHit > settledWithout
    if (open.length <= source.checkBudget || likely) {
      const checked = open.slice(0, source.checkBudget)
      const before = found.size
      for (const id of checked) settle(id, check.get({ ...source.params, conversationId: id }) as { id: number } | undefined)
      // Checks that mostly find a hit are the faster way on; reading more hits is, when they mostly do not.
      fetch = open.length > source.checkBudget && (found.size - before) * 2 < checked.length
    }
  }
}
