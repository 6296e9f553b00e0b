// The dashboard's figures (issue 9) over drafts: kinds reply, rewrite and offline (a summary is not a reply),
// finished (not streaming), made within from/to, in conversations the rest of the filter selects. Computed in
// SQL, a few aggregate passes over the drafts, so no draft's text is read.
import type Database from 'better-sqlite3'
import type { ConversationFilter, DraftOutcome, ReviewStats } from '../../../shared/review'
import { DRAFT_OUTCOMES } from '../../../shared/review'
import { dateRange, filterConditions } from './filters'

const TOP_DOCUMENTS = 10

interface GroupRow {
  day: string
  status: string
  model: string | null
  rating: string | null
  drafts: number
  used: number
  prompt: number
  output: number
  total: number
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least p of the values at or below it. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number
}

export class ReviewStatistics {
  constructor(private readonly db: Database.Database) {}

  compute(filter: ConversationFilter): ReviewStats {
    const { from, to } = dateRange(filter)
    const { conditions, params } = filterConditions(filter, { dates: false, whole: true })
    const where = ["m.role = 'assistant_draft'", "m.kind <> 'summary'", "m.status <> 'streaming'", ...conditions]
    const values: Record<string, string | number> = { ...params }
    if (from !== null) {
      where.push('m.created_at >= @from')
      values.from = from
    }
    if (to !== null) {
      where.push('m.created_at < @to')
      values.to = to
    }
    // The conversation is joined only when a filter reads it.
    const drafts = `messages m${conditions.length > 0 ? ' JOIN conversations c ON c.id = m.conversation_id' : ''} WHERE ${where.join(' AND ')}`
    // One read transaction: every figure is of the same moment.
    return this.db.transaction(() => {
      const groups = this.db
        .prepare(
          `SELECT substr(m.created_at, 1, 10) AS day, m.status, m.model, m.feedback_rating AS rating, count(*) AS drafts,
             sum(EXISTS (SELECT 1 FROM reply_uses u WHERE u.draft_id = m.id)) AS used,
             coalesce(sum(m.prompt_tokens), 0) AS prompt, coalesce(sum(m.output_tokens), 0) AS output, coalesce(sum(m.total_tokens), 0) AS total
           FROM ${drafts} GROUP BY day, m.status, m.model, m.feedback_rating`,
        )
        .all(values) as GroupRow[]
      const firstTokens = this.db
        .prepare(`SELECT m.first_token_ms AS v FROM ${drafts} AND m.first_token_ms IS NOT NULL ORDER BY v`)
        .pluck()
        .all(values) as number[]
      const edits = this.db
        .prepare(`SELECT u.similarity, u.edit_distance FROM ${drafts.replace(' WHERE ', ' JOIN reply_uses u ON u.draft_id = m.id WHERE ')}`)
        .all(values) as { similarity: number; edit_distance: number }[]
      const documents = this.db
        .prepare(
          `SELECT s.path, max(s.title) AS title, count(*) AS citations FROM ${drafts.replace(' WHERE ', ' JOIN draft_sources s ON s.message_id = m.id WHERE ')}
           GROUP BY s.path ORDER BY citations DESC, s.path LIMIT ${TOP_DOCUMENTS}`,
        )
        .all(values) as { path: string; title: string; citations: number }[]
      return summarize(groups, firstTokens, edits, documents, filter)
    })()
  }
}

function summarize(
  groups: GroupRow[],
  firstTokens: number[],
  edits: { similarity: number; edit_distance: number }[],
  topDocuments: { path: string; title: string; citations: number }[],
  filter: ConversationFilter,
): ReviewStats {
  const outcomes = Object.fromEntries(DRAFT_OUTCOMES.map((o) => [o, 0])) as Record<DraftOutcome, number>
  const perDay = new Map<string, { drafts: number; used: number }>()
  const byModel = new Map<string, { drafts: number; promptTokens: number; outputTokens: number; totalTokens: number }>()
  const feedback = { up: 0, down: 0, none: 0 }
  let drafts = 0
  let used = 0
  for (const g of groups) {
    drafts += g.drafts
    used += g.used
    if (g.status in outcomes) outcomes[g.status as DraftOutcome] += g.drafts
    const day = perDay.get(g.day) ?? { drafts: 0, used: 0 }
    day.drafts += g.drafts
    day.used += g.used
    perDay.set(g.day, day)
    const modelName = g.model ?? 'unknown'
    const model = byModel.get(modelName) ?? { drafts: 0, promptTokens: 0, outputTokens: 0, totalTokens: 0 }
    model.drafts += g.drafts
    model.promptTokens += g.prompt
    model.outputTokens += g.output
    model.totalTokens += g.total
    byModel.set(modelName, model)
    if (g.rating === 'up') feedback.up += g.drafts
    else if (g.rating === 'down') feedback.down += g.drafts
    else feedback.none += g.drafts
  }
  const rate = (n: number): number | null => (drafts === 0 ? null : round(n / drafts))
  const similarities = edits.map((e) => e.similarity).sort((a, b) => a - b)
  const distances = edits.map((e) => e.edit_distance).sort((a, b) => a - b)
  const mean = (values: number[]): number | null => (values.length === 0 ? null : round(values.reduce((s, v) => s + v, 0) / values.length))
  return {
    from: filter.from ?? null,
    to: filter.to ?? null,
    drafts,
    draftsPerDay: [...perDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, v]) => ({ day, ...v })),
    used,
    useRate: rate(used),
    edits: {
      count: edits.length,
      meanSimilarity: mean(similarities),
      medianSimilarity: nearestRank(similarities, 0.5),
      meanEditDistance: mean(distances),
      medianEditDistance: nearestRank(distances, 0.5),
    },
    outcomes,
    rates: {
      stopped: rate(outcomes.stopped),
      error: rate(outcomes.error),
      blocked: rate(outcomes.blocked),
      truncated: rate(outcomes.truncated),
      interrupted: rate(outcomes.interrupted),
    },
    firstTokenMs: { count: firstTokens.length, median: nearestRank(firstTokens, 0.5), p95: nearestRank(firstTokens, 0.95) },
    tokensByModel: [...byModel.entries()]
      .map(([model, v]) => ({ model, ...v }))
      .sort((a, b) => b.totalTokens - a.totalTokens || a.model.localeCompare(b.model)),
    topDocuments,
    feedback,
  }
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000
