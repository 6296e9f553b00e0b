// Reading conversations for a bulk export (issue 9), a page at a time: each page is one short read of its
// conversations, their messages, sources, tags and reply uses, so memory stays flat however large the archive, and
// the connection is free between pages (an open iterator would keep the single writer's connection busy while the
// export waits on a slow disk or client). Conversations come oldest first by id, a stable order for a file.
import type Database from 'better-sqlite3'
import type { ConversationFilter, TagColor } from '../../../shared/review'
import type { ExportedConversation, ExportedMessage } from './export-file'
import { filterConditions } from './filters'
import { toFtsQuery, hasCjk, toCjkQuery } from './fts-query'
import { MESSAGE_COLUMNS, toDraftSource, toMessage, type DraftSourceRow, type MessageRow } from './rows'

export const EXPORT_PAGE_CONVERSATIONS = 200

/** What to export: these conversations, or those matching the filter (all, without one). */
export type ExportSelection = { ids: readonly number[] } | { filter: ConversationFilter }

interface ConversationExportRow {
  id: number
  uid: string
  title: string
  source: string
  created_at: string
  updated_at: string
  summary: string | null
}

export class ConversationExporter {
  constructor(private readonly db: Database.Database) {}

  /** How many conversations the selection holds (for progress). */
  count(selection: ExportSelection): number {
    const { sql, params } = this.selectionSql(selection)
    return this.db.prepare(`SELECT count(*) FROM conversations c WHERE ${sql}`).pluck().get(params) as number
  }

  /** The selection's conversations, a page at a time, each with everything the export writes. */
  *pages(selection: ExportSelection, pageSize = EXPORT_PAGE_CONVERSATIONS): Generator<ExportedConversation[]> {
    const { sql, params } = this.selectionSql(selection)
    const page = this.db.prepare(
      `SELECT c.id, c.uid, c.title, c.source, c.created_at, c.updated_at, c.summary FROM conversations c
       WHERE ${sql} AND c.id > @afterId ORDER BY c.id LIMIT @limit`,
    )
    const messages = this.db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id IN (SELECT value FROM json_each(?)) ORDER BY conversation_id, id`,
    )
    const sources = this.db.prepare(
      `SELECT s.* FROM draft_sources s JOIN messages m ON m.id = s.message_id
       WHERE m.conversation_id IN (SELECT value FROM json_each(?)) ORDER BY s.message_id, s.n`,
    )
    const tags = this.db.prepare(
      `SELECT x.conversation_id, t.name, t.color FROM conversation_tags x JOIN tags t ON t.id = x.tag_id
       WHERE x.conversation_id IN (SELECT value FROM json_each(?)) ORDER BY t.name COLLATE NOCASE`,
    )
    const uses = this.db.prepare(
      `SELECT u.agent_message_id, u.draft_id, u.edit_distance, u.similarity FROM reply_uses u JOIN messages m ON m.id = u.agent_message_id
       WHERE m.conversation_id IN (SELECT value FROM json_each(?))`,
    )
    let afterId = 0
    for (;;) {
      // One read transaction per page: its conversations and their messages are of the same moment.
      const result = this.db.transaction(() => {
        const rows = page.all({ ...params, afterId, limit: pageSize }) as ConversationExportRow[]
        if (rows.length === 0) return []
        const ids = JSON.stringify(rows.map((r) => r.id))
        const sourcesOf = group((sources.all(ids) as DraftSourceRow[]).map((s) => [s.message_id, toDraftSource(s)] as const))
        const tagsOf = group(
          (tags.all(ids) as { conversation_id: number; name: string; color: string }[]).map(
            (t) => [t.conversation_id, { name: t.name, color: t.color as TagColor }] as const,
          ),
        )
        const useOf = new Map(
          (uses.all(ids) as { agent_message_id: number; draft_id: number; edit_distance: number; similarity: number }[]).map((u) => [
            u.agent_message_id,
            u,
          ]),
        )
        const messagesOf = group(
          (messages.all(ids) as MessageRow[]).map((row) => {
            const message = toMessage(row, '', sourcesOf.get(row.id) ?? [])
            const use = useOf.get(row.id)
            const { conversationId: _conversation, ...rest } = message
            const exported: ExportedMessage = {
              ...rest,
              usedDraftId: use?.draft_id ?? null,
              editDistance: use?.edit_distance ?? null,
              similarity: use?.similarity ?? null,
            }
            return [row.conversation_id, exported] as const
          }),
        )
        return rows.map((r) => ({
          uid: r.uid,
          id: r.id,
          title: r.title,
          source: r.source,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          summary: r.summary,
          tags: tagsOf.get(r.id) ?? [],
          messages: messagesOf.get(r.id) ?? [],
        }))
      })()
      if (result.length === 0) return
      yield result
      afterId = (result[result.length - 1] as ExportedConversation).id
      if (result.length < pageSize) return
    }
  }

  private selectionSql(selection: ExportSelection): { sql: string; params: Record<string, string | number> } {
    if ('ids' in selection) return { sql: 'c.id IN (SELECT value FROM json_each(@ids))', params: { ids: JSON.stringify(selection.ids) } }
    const { conditions, params } = filterConditions(selection.filter, { dates: true, whole: true })
    const q = selection.filter.q?.trim() ?? ''
    if (q.length > 0) {
      // The same search as the list: conversations with a finished message matching it.
      if (hasCjk(q)) {
        const cjk = toCjkQuery(q)
        const likes = (cjk?.likes ?? []).map((_, i) => `m.text LIKE @like${i} ESCAPE '\\'`)
        if (cjk === null) conditions.push('0')
        else if (cjk.match !== null) {
          conditions.push(
            `c.id IN (SELECT m.conversation_id FROM messages_trigram JOIN messages m ON m.id = messages_trigram.rowid WHERE messages_trigram MATCH @match${likes.map((l) => ` AND ${l}`).join('')})`,
          )
          params.match = cjk.match
        } else conditions.push(`c.id IN (SELECT m.conversation_id FROM messages_cjk j JOIN messages m ON m.id = j.id WHERE ${likes.join(' AND ')})`)
        cjk?.likes.forEach((like, i) => (params[`like${i}`] = like))
      } else {
        const match = toFtsQuery(q)
        if (match === null) conditions.push('0')
        else {
          conditions.push(
            'c.id IN (SELECT m.conversation_id FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid WHERE messages_fts MATCH @match)',
          )
          params.match = match
        }
      }
    }
    return { sql: conditions.length > 0 ? conditions.join(' AND ') : '1', params }
  }
}

function group<K, V>(entries: Iterable<readonly [K, V]>): Map<K, V[]> {
  const map = new Map<K, V[]>()
  for (const [key, value] of entries) {
    const list = map.get(key) ?? []
    list.push(value)
    map.set(key, list)
  }
  return map
}
