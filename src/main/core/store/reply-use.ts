// How much the agent changed a draft before sending it (issue 9): computed once, when the reply is saved, and
// kept in reply_uses (migration 6), so the timeline and the statistics never recompute it.
import type Database from 'better-sqlite3'
import type { ReplyUse } from '../../../shared/review'
import { StoreInputError } from './errors'

/** Above this many cells (after the common prefix and suffix are set aside) the distance is taken over words. */
const MAX_CELLS = 16_000_000

export interface EditMeasure {
  editDistance: number
  similarity: number
}

/** Levenshtein distance in Unicode code points, and 1 − distance / the longer length (3 decimals). */
export function measureEdit(draft: string, reply: string): EditMeasure {
  const a = [...draft]
  const b = [...reply]
  const longest = Math.max(a.length, b.length)
  if (longest === 0) return { editDistance: 0, similarity: 1 }
  const editDistance = distance(a, b)
  return { editDistance, similarity: Math.round((1 - editDistance / longest) * 1000) / 1000 }
}

function distance(a: string[], b: string[]): number {
  // The common prefix and suffix cost nothing; agents mostly edit a few places, so this usually leaves little.
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const x = a.slice(start, endA)
  const y = b.slice(start, endB)
  if (x.length === 0 || y.length === 0) return Math.max(x.length, y.length)
  if (x.length * y.length <= MAX_CELLS) return levenshtein(x, y, () => 1)
  // Two long texts rewritten throughout: words as units, each costing its length, bounds the work; beyond even
  // that, the whole text counts as rewritten.
  const wx = x.join('').split(/(?<=\s)/u)
  const wy = y.join('').split(/(?<=\s)/u)
  if (wx.length * wy.length <= MAX_CELLS)
    return Math.min(
      Math.max(x.length, y.length),
      levenshtein(wx, wy, (w) => [...w].length),
    )
  return Math.max(x.length, y.length)
}

/** The two-row dynamic programme; `cost` is what inserting or deleting one unit costs (a substitution: the larger). */
function levenshtein(x: string[], y: string[], cost: (unit: string) => number): number {
  let previous = new Float64Array(y.length + 1)
  let current = new Float64Array(y.length + 1)
  for (let j = 1; j <= y.length; j++) previous[j] = (previous[j - 1] as number) + cost(y[j - 1] as string)
  for (let i = 1; i <= x.length; i++) {
    const xi = x[i - 1] as string
    const deleteCost = cost(xi)
    current[0] = (previous[0] as number) + deleteCost
    for (let j = 1; j <= y.length; j++) {
      const yj = y[j - 1] as string
      const substitute = (previous[j - 1] as number) + (xi === yj ? 0 : Math.max(deleteCost, cost(yj)))
      const remove = (previous[j] as number) + deleteCost
      const insert = (current[j - 1] as number) + cost(yj)
      current[j] = Math.min(substitute, remove, insert)
    }
    ;[previous, current] = [current, previous]
  }
  return previous[y.length] as number
}

interface DraftRow {
  id: number
  conversation_id: number
  role: string
  status: string
  text: string
}

/** Which draft a reply came from, and saving the measure with the reply. */
export class ReplyUses {
  private readonly draft: Database.Statement
  private readonly latestDraft: Database.Statement
  private readonly insert: Database.Statement
  private readonly ofConversation: Database.Statement

  constructor(db: Database.Database) {
    this.draft = db.prepare('SELECT id, conversation_id, role, status, text FROM messages WHERE id = ?')
    // The latest finished reply-like draft since the agent last replied: the one on screen when they sent this.
    this.latestDraft = db.prepare(`
      SELECT id, conversation_id, role, status, text FROM messages
      WHERE conversation_id = @conversationId AND role = 'assistant_draft' AND kind IN ('reply', 'rewrite', 'offline')
        AND status IN ('complete', 'truncated')
        AND id > coalesce((SELECT max(id) FROM messages WHERE conversation_id = @conversationId AND role = 'agent'), 0)
      ORDER BY id DESC LIMIT 1`)
    this.insert = db.prepare('INSERT INTO reply_uses (agent_message_id, draft_id, edit_distance, similarity) VALUES (?, ?, ?, ?)')
    this.ofConversation = db.prepare(`
      SELECT u.agent_message_id, u.draft_id, u.edit_distance, u.similarity FROM reply_uses u
      JOIN messages m ON m.id = u.agent_message_id WHERE m.conversation_id = ? ORDER BY u.agent_message_id`)
  }

  /**
   * The draft a reply comes from: the one named (a finished draft of this conversation), else the latest complete
   * reply-like draft since the last agent message; undefined when there is none. Read before the reply is written.
   */
  resolve(conversationId: number, draftId: number | undefined): DraftRow | undefined {
    if (draftId === undefined) return this.latestDraft.get({ conversationId }) as DraftRow | undefined
    const row = this.draft.get(draftId) as DraftRow | undefined
    if (!row || row.conversation_id !== conversationId || row.role !== 'assistant_draft') {
      throw new StoreInputError(`Message ${draftId} is not a draft of conversation ${conversationId}.`)
    }
    if (row.status === 'streaming') throw new StoreInputError(`Draft ${draftId} is still streaming; use it once it has finished.`)
    return row
  }

  /** Saves the measure; call inside the transaction that inserts the agent's message. */
  record(agentMessageId: number, draft: { id: number; text: string }, replyText: string): ReplyUse {
    const { editDistance, similarity } = measureEdit(draft.text, replyText)
    this.insert.run(agentMessageId, draft.id, editDistance, similarity)
    return { agentMessageId, draftId: draft.id, editDistance, similarity }
  }

  forConversation(conversationId: number): ReplyUse[] {
    return (
      this.ofConversation.all(conversationId) as { agent_message_id: number; draft_id: number; edit_distance: number; similarity: number }[]
    ).map((row) => ({ agentMessageId: row.agent_message_id, draftId: row.draft_id, editDistance: row.edit_distance, similarity: row.similarity }))
  }
}
