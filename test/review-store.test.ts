// Review in the store (issue 9): filters alone and combined with each other and with search (CJK included), keyset
// paging under a filter, tags and bulk tagging, saved filters, which draft a reply came from and how much it
// changed, the timeline, and the statistics against figures worked out by hand from test/helpers/review-archive.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConversationFilter } from '../src/shared/review'
import { HIT_END, HIT_START } from '../src/shared/search-markers'
import { measureEdit } from '../src/main/core/store/reply-use'
import { nearestRank } from '../src/main/core/store/stats'
import { NameTakenError } from '../src/main/core/store/tags'
import { StoreInputError, TranscriptStore } from '../src/main/core/store/transcript-store'
import { buildArchive, manualClock, type Archive } from './helpers/review-archive'

let dir: string
let store: TranscriptStore
let archive: Archive
let clock: ReturnType<typeof manualClock>

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-store-'))
  clock = manualClock()
  store = TranscriptStore.open(join(dir, 'transcripts.db'), { now: clock.now })
  archive = buildArchive(store, clock)
})

afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The ids a filter lists, newest activity first. */
const ids = (filter: ConversationFilter & { limit?: number }): number[] => store.listConversations(filter).conversations.map((c) => c.id)

describe('filters', () => {
  it('list everything newest first without a filter', () => {
    const { a, b, c, d, e } = archive
    expect(ids({})).toEqual([e, d, c, b, a])
  })

  it('select by draft outcome: any draft that ended so; summaries do not count', () => {
    const { a, b, c } = archive
    expect(ids({ status: ['complete'] })).toEqual([a])
    expect(ids({ status: ['error'] })).toEqual([b])
    expect(ids({ status: ['stopped'] })).toEqual([b])
    expect(ids({ status: ['truncated'] })).toEqual([c])
    expect(ids({ status: ['blocked'] })).toEqual([c])
    expect(ids({ status: ['interrupted'] })).toEqual([])
    expect(ids({ status: ['error', 'truncated'] })).toEqual([c, b])
  })

  it('select by source, model, feedback, used reply, tag and date', () => {
    const { a, b, c, d, e, vipTag } = archive
    expect(ids({ source: ['helpdesk'] })).toEqual([b])
    expect(ids({ source: ['app', 'helpdesk'] })).toEqual([e, d, c, b, a])
    expect(ids({ model: ['gemini-b'] })).toEqual([c, b])
    expect(ids({ model: ['gemini-a'] })).toEqual([e, b, a])
    expect(ids({ feedback: ['up'] })).toEqual([a])
    expect(ids({ feedback: ['down'] })).toEqual([b])
    expect(ids({ feedback: ['none'] })).toEqual([e, d, c])
    expect(ids({ feedback: ['up', 'none'] })).toEqual([e, d, c, a])
    expect(ids({ usedReply: true })).toEqual([c, a])
    expect(ids({ usedReply: false })).toEqual([e, d, b])
    expect(ids({ tag: [vipTag] })).toEqual([a])
    expect(ids({ from: '2026-01-06' })).toEqual([e, d, c])
    expect(ids({ to: '2026-01-05' })).toEqual([b, a])
    expect(ids({ from: '2026-01-05', to: '2026-01-05' })).toEqual([b, a])
    // A full timestamp is an exact bound: `to` excludes it.
    const bUpdated = store.getConversation(b)?.updatedAt as string
    expect(ids({ to: bUpdated })).toEqual([a])
  })

  it('combine with each other (AND across fields, OR within one) and with search', () => {
    const { b, c } = archive
    expect(ids({ model: ['gemini-b'], status: ['stopped'] })).toEqual([b])
    expect(ids({ model: ['gemini-b'], usedReply: true })).toEqual([c])
    expect(ids({ q: 'refund' })).toEqual([c])
    expect(ids({ q: 'refund', status: ['truncated'] })).toEqual([c])
    expect(ids({ q: 'refund', source: ['helpdesk'] })).toEqual([])
    expect(ids({ q: 'invoice', feedback: ['down'], from: '2026-01-05', to: '2026-01-05' })).toEqual([b])
    const hit = store.listConversations({ q: 'invoice', source: ['helpdesk'] }).conversations[0]?.hit
    expect(hit?.snippet).toContain(`${HIT_START}invoice${HIT_END}`)
    // The snippet is the hit's own: the newest matching message, not another one of the conversation.
    clock.advance()
    store.addMessage({ conversationId: archive.b, role: 'customer', text: 'invoice number two, beta', source: 'helpdesk' })
    const newest = store.listConversations({ q: 'invoice' }).conversations[0]?.hit
    expect(newest?.snippet).toBe(`${HIT_START}invoice${HIT_END} number two, beta`)
  })

  it('keep keyset paging under a filter', () => {
    const { a, b, e } = archive
    const first = store.listConversations({ model: ['gemini-a'], limit: 2 })
    expect(first.conversations.map((c) => c.id)).toEqual([e, b])
    expect(first.nextCursor).not.toBeNull()
    const second = store.listConversations({ model: ['gemini-a'], limit: 2, cursor: first.nextCursor as string })
    expect(second.conversations.map((c) => c.id)).toEqual([a])
    expect(second.nextCursor).toBeNull()
  })

  it('keep the summaries right as drafts finish and feedback changes', () => {
    const { a, d } = archive
    clock.advance()
    const draft = store.startDraft({ conversationId: d, source: 'app', model: 'gemini-c' })
    // Streaming drafts count for nothing yet, their model does.
    expect(ids({ status: ['error'] })).not.toContain(d)
    store.finishDraft(draft.id, {
      status: 'error',
      usage: { promptTokens: null, outputTokens: null, totalTokens: null },
      firstTokenMs: null,
      durationMs: null,
      finishReason: null,
      errorKind: 'network',
      errorMessage: 'x',
    })
    expect(ids({ status: ['error'] })).toContain(d)
    expect(ids({ model: ['gemini-c'] })).toEqual([d])
    // Clearing the only rating makes the conversation "none" again.
    store.setFeedback(archive.drafts.a1, { rating: null })
    expect(ids({ feedback: ['up'] })).toEqual([])
    expect(ids({ feedback: ['none'] })).toContain(a)
  })

  it('refuse a bad date', () => {
    expect(() => store.listConversations({ from: 'yesterday' })).toThrow(StoreInputError)
  })
})

describe('CJK search', () => {
  it('finds Chinese inside a run of characters, short or long, with marks in the snippet', () => {
    const { d } = archive
    expect(ids({ q: '退款' })).toEqual([d])
    expect(ids({ q: '我要退款' })).toEqual([d])
    expect(ids({ q: '退款 谢谢' })).toEqual([d])
    expect(ids({ q: '要退款 nothing' })).toEqual([])
    expect(ids({ q: '退款', source: ['helpdesk'] })).toEqual([])
    expect(store.listConversations({ q: '退款' }).conversations[0]?.hit?.snippet).toBe(`我要${HIT_START}退款${HIT_END} 谢谢`)
  })

  it('indexes Japanese and Korean, and forgets a conversation once deleted', () => {
    clock.advance()
    const j = store.createConversation({ title: 'ja', source: 'app' }).id
    store.addMessage({ conversationId: j, role: 'customer', text: '注文した商品がまだ届きません', source: 'app' })
    const k = store.createConversation({ title: 'ko', source: 'app' }).id
    store.addMessage({ conversationId: k, role: 'customer', text: '환불을 요청합니다', source: 'app' })
    expect(ids({ q: '商品が' })).toEqual([j])
    expect(ids({ q: '환불' })).toEqual([k])
    store.deleteConversation(j)
    expect(ids({ q: '商品が' })).toEqual([])
  })
})

describe('tags', () => {
  it('create with a palette colour, refuse a taken name whatever its case, rename, recolour, delete', () => {
    const refund = store.tags.create({ name: 'Refund' })
    expect(refund).toMatchObject({ name: 'Refund', color: 'gray', conversationCount: 0 })
    expect(() => store.tags.create({ name: 'refund' })).toThrow(NameTakenError)
    expect(() => store.tags.create({ name: 'Other', color: 'neon' as never })).toThrow(StoreInputError)
    expect(store.tags.update(refund.id, { name: 'Refunds', color: 'green' })).toMatchObject({ name: 'Refunds', color: 'green' })
    expect(() => store.tags.update(refund.id, { name: 'vip' })).toThrow(NameTakenError)
    expect(store.tags.update(9999, { color: 'red' })).toBeUndefined()
    expect(store.tags.list().map((t) => t.name)).toEqual(['Refunds', 'VIP'])
    expect(store.tags.delete(refund.id)).toBe(true)
    expect(store.tags.delete(refund.id)).toBe(false)
  })

  it('bulk-tag a selection, counting only what changed; deleting a tag or a conversation removes its links', () => {
    const { a, b, c, vipTag } = archive
    expect(store.tags.tag(vipTag, [a, b, c, 9999])).toEqual({ tagId: vipTag, changed: 2 })
    expect(ids({ tag: [vipTag] })).toEqual([c, b, a])
    expect(store.listConversations({ tag: [vipTag] }).conversations[0]?.tagIds).toEqual([vipTag])
    expect(store.tags.untag(vipTag, [b, b])).toEqual({ tagId: vipTag, changed: 1 })
    store.deleteConversation(c)
    expect(store.tags.get(vipTag)?.conversationCount).toBe(1)
    store.tags.delete(vipTag)
    expect(store.listConversations({}).conversations.every((row) => row.tagIds.length === 0)).toBe(true)
    expect(store.tags.tag(vipTag, [a])).toBeUndefined()
  })
})

describe('saved filters', () => {
  it('save, replace by name (any case) and delete', () => {
    const saved = store.savedFilters.save({ name: 'Errors', filter: { status: ['error'], q: 'invoice' } })
    expect(saved).toMatchObject({ name: 'Errors', filter: { status: ['error'], q: 'invoice' } })
    const replaced = store.savedFilters.save({ name: 'errors', filter: { usedReply: false } })
    expect(replaced.id).toBe(saved.id)
    expect(store.savedFilters.list()).toEqual([replaced])
    expect(replaced.filter).toEqual({ usedReply: false })
    expect(store.savedFilters.delete(saved.id)).toBe(true)
    expect(store.savedFilters.list()).toEqual([])
  })
})

describe('reply uses', () => {
  it('measure edits in code points', () => {
    expect(measureEdit('kitten', 'sitting')).toEqual({ editDistance: 3, similarity: 0.571 })
    expect(measureEdit('same', 'same')).toEqual({ editDistance: 0, similarity: 1 })
    expect(measureEdit('', '')).toEqual({ editDistance: 0, similarity: 1 })
    expect(measureEdit('退款', '退货')).toEqual({ editDistance: 1, similarity: 0.5 })
    expect(measureEdit('abc', '')).toEqual({ editDistance: 3, similarity: 0 })
  })

  it('stay bounded on two long texts rewritten throughout', () => {
    const a = 'alpha beta gamma '.repeat(300)
    const b = 'delta epsilon zeta '.repeat(300)
    const started = performance.now()
    const measured = measureEdit(a, b)
    expect(performance.now() - started).toBeLessThan(2000)
    expect(measured.similarity).toBeGreaterThanOrEqual(0)
    expect(measured.similarity).toBeLessThan(0.5)
  })

  it('come from the latest complete draft since the last reply, or the draft named, or none', () => {
    const { a, c, drafts, replies } = archive
    const review = store.getReview(a)
    expect(review?.uses).toEqual([{ agentMessageId: replies.a, draftId: drafts.a1, editDistance: 3, similarity: 0.571 }])
    expect(store.getReview(c)?.uses).toEqual([{ agentMessageId: replies.c, draftId: drafts.c1, editDistance: 0, similarity: 1 }])
    // A second reply with no draft since the first one is not attributed to any.
    clock.advance()
    const again = store.addReply({ conversationId: a, text: 'Anything else?', source: 'app' })
    expect(store.getReview(a)?.uses.map((u) => u.agentMessageId)).not.toContain(again.id)
    expect(() => store.addReply({ conversationId: a, text: 'x', source: 'app', draftId: drafts.b1 })).toThrow(/not a draft of conversation/)
    const live = store.startDraft({ conversationId: a, source: 'app', model: 'gemini-a' })
    expect(() => store.addReply({ conversationId: a, text: 'x', source: 'app', draftId: live.id })).toThrow(/still streaming/)
  })

  it('give the full timeline: messages with their drafts, tags and uses', () => {
    const review = store.getReview(archive.a)
    expect(review?.conversation.id).toBe(archive.a)
    expect(review?.tags.map((t) => t.name)).toEqual(['VIP'])
    expect(review?.messages.map((m) => m.role)).toEqual(['customer', 'assistant_draft', 'agent'])
    expect(review?.messages[1]).toMatchObject({ status: 'complete', model: 'gemini-a', feedback: { rating: 'up' }, firstTokenMs: 100 })
    expect(review?.messages[1]?.sources.map((s) => s.path)).toEqual(['refunds.md', 'shipping.md'])
    expect(store.getReview(9999)).toBeUndefined()
  })
})

describe('statistics', () => {
  it('match the figures worked out by hand', () => {
    expect(store.statistics.compute({})).toEqual({
      from: null,
      to: null,
      drafts: 5,
      draftsPerDay: [
        { day: '2026-01-05', drafts: 3, used: 1 },
        { day: '2026-01-06', drafts: 2, used: 1 },
      ],
      used: 2,
      useRate: 0.4,
      edits: { count: 2, meanSimilarity: 0.7855, medianSimilarity: 0.571, meanEditDistance: 1.5, medianEditDistance: 0 },
      outcomes: { complete: 1, stopped: 1, error: 1, blocked: 1, interrupted: 0, truncated: 1 },
      rates: { stopped: 0.2, error: 0.2, blocked: 0.2, truncated: 0.2, interrupted: 0 },
      firstTokenMs: { count: 3, median: 200, p95: 300 },
      tokensByModel: [
        { model: 'gemini-a', drafts: 2, promptTokens: 15, outputTokens: 25, totalTokens: 40 },
        { model: 'gemini-b', drafts: 3, promptTokens: 1, outputTokens: 2, totalTokens: 3 },
      ],
      topDocuments: [
        { path: 'refunds.md', title: 'refunds', citations: 2 },
        { path: 'shipping.md', title: 'shipping', citations: 1 },
      ],
      feedback: { up: 1, down: 1, none: 3 },
    })
  })

  it('bound drafts by their own day and the rest of the filter by conversation', () => {
    const day2 = store.statistics.compute({ from: '2026-01-06' })
    expect(day2).toMatchObject({ from: '2026-01-06', drafts: 2, used: 1, outcomes: { truncated: 1, blocked: 1 } })
    const helpdesk = store.statistics.compute({ source: ['helpdesk'] })
    expect(helpdesk).toMatchObject({ drafts: 2, used: 0, useRate: 0, firstTokenMs: { count: 1, median: 300, p95: 300 } })
    expect(store.statistics.compute({ to: '2025-12-31' })).toMatchObject({
      drafts: 0,
      useRate: null,
      draftsPerDay: [],
      firstTokenMs: { median: null },
    })
  })

  it('take nearest-rank percentiles', () => {
    expect(nearestRank([], 0.5)).toBeNull()
    expect(nearestRank([5], 0.95)).toBe(5)
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2)
    expect(
      nearestRank(
        Array.from({ length: 20 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(19)
  })
})

describe('search pages', () => {
  it('are exactly what grouping every hit would give, with interleaved conversations, filters and paging', () => {
    // Conversations that take turns, so message ids and activity order disagree; words of every frequency.
    const words = ['common', 'often', 'sometimes', 'rare', 'unique']
    const weights = [0.9, 0.5, 0.2, 0.03, 0.005]
    let seed = 7
    const random = (): number => {
      seed = (seed * 16_807) % 2_147_483_647
      return seed / 2_147_483_647
    }
    const conversations = Array.from(
      { length: 120 },
      (_, i) => store.createConversation({ title: `Mixed ${i}`, source: i % 4 === 0 ? 'helpdesk' : 'app' }).id,
    )
    for (let n = 0; n < 1_500; n++) {
      clock.advance(1_000)
      const conversationId = conversations[Math.floor(random() ** 2 * conversations.length)] as number
      const text = words.filter((_, i) => random() < (weights[i] as number)).join(' ') || 'filler'
      store.addMessage({ conversationId, role: random() < 0.5 ? 'customer' : 'agent', text, source: 'app' })
    }
    const expected = (word: string, source?: string): number[] => {
      const all = store.listConversations({ limit: 200 }).conversations
      return all
        .filter((c) => source === undefined || c.source === source)
        .filter((c) => store.getMessages(c.id).some((m) => m.text.split(' ').includes(word)))
        .map((c) => c.id)
    }
    for (const word of words) {
      for (const source of [undefined, 'helpdesk']) {
        const want = expected(word, source)
        const got: number[] = []
        let cursor: string | undefined
        do {
          const page = store.listConversations({ q: word, source: source === undefined ? undefined : [source], limit: 7, cursor })
          got.push(...page.conversations.map((c) => c.id))
          for (const c of page.conversations) {
            const newest = store
              .getMessages(c.id)
              .filter((m) => m.text.split(' ').includes(word))
              .at(-1)
            expect(c.hit?.messageId, `${word} in ${c.id}`).toBe(newest?.id)
          }
          cursor = page.nextCursor ?? undefined
        } while (cursor)
        expect(got, `${word} ${source ?? ''}`).toEqual(want)
      }
    }
  })
})

describe('snippets of wide prefixes', () => {
  it('mark every word of the query, the last as a prefix, around the first match', async () => {
    const { wordSnippet } = await import('../src/main/core/store/filters')
    expect(wordSnippet('The café refunded it, Refund policy', 'cafe ref')).toBe(
      `The ${HIT_START}café${HIT_END} ${HIT_START}refunded${HIT_END} it, ${HIT_START}Refund${HIT_END} policy`,
    )
    const long = `${Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')} needle ${Array.from({ length: 30 }, (_, i) => `v${i}`).join(' ')}`
    expect(wordSnippet(long, 'need')).toBe(`…w26 w27 w28 w29 ${HIT_START}needle${HIT_END} v0 v1 v2 v3 v4 v5 v6 v7 v8 v9 v10…`)
  })

  it('are used when the last word starts many words', () => {
    clock.advance()
    const id = store.createConversation({ title: 'wide', source: 'app' }).id
    const words = Array.from({ length: 70 }, (_, i) => `zeta${String(i).padStart(2, '0')}`)
    store.addMessage({ conversationId: id, role: 'customer', text: words.join(' '), source: 'app' })
    const hit = store.listConversations({ q: 'zeta' }).conversations[0]
    expect(hit?.id).toBe(id)
    expect(hit?.hit?.snippet.startsWith(`${HIT_START}zeta00${HIT_END} ${HIT_START}zeta01${HIT_END}`)).toBe(true)
  })
})

describe('migration 6 on an existing archive', () => {
  it('fills in uids, the conversation summaries and the trigram index from the history', async () => {
    const { default: Database } = await import('better-sqlite3')
    const { migrate } = await import('../src/main/core/store/migrations')
    const file = join(dir, 'v5.db')
    const db = new Database(file)
    migrate(db, 5)
    const at = '2026-01-01T00:00:00.000Z'
    db.prepare("INSERT INTO conversations (title, source, created_at, updated_at) VALUES ('Old', 'helpdesk', ?, ?)").run(at, at)
    db.prepare("INSERT INTO conversations (title, source, created_at, updated_at) VALUES ('Older', 'app', ?, ?)").run(at, '2025-12-31T00:00:00.000Z')
    const insert = db.prepare(
      "INSERT INTO messages (conversation_id, role, text, status, source, model, kind, feedback_rating, feedback_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'app', ?, ?, ?, ?, ?, ?)",
    )
    insert.run(1, 'customer', '我要退款', 'complete', null, 'reply', null, null, at, at)
    insert.run(1, 'assistant_draft', 'Sorry', 'error', 'gemini-old', 'reply', 'down', at, at, at)
    insert.run(1, 'assistant_draft', 'Summary', 'blocked', 'gemini-old', 'summary', null, null, at, at)
    insert.run(2, 'agent', 'Done', 'complete', null, 'reply', null, null, at, at)
    db.close()
    const migrated = TranscriptStore.open(file)
    try {
      const titles = (filter: ConversationFilter): string[] => migrated.listConversations(filter).conversations.map((c) => c.title)
      expect(titles({ status: ['error'] })).toEqual(['Old'])
      expect(titles({ status: ['blocked'] })).toEqual([])
      expect(titles({ feedback: ['down'] })).toEqual(['Old'])
      expect(titles({ model: ['gemini-old'] })).toEqual(['Old'])
      expect(titles({ usedReply: true })).toEqual(['Older'])
      expect(titles({ q: '退款' })).toEqual(['Old'])
      const uids = [...migrated.exporter.pages({ filter: {} })].flat().map((c) => c.uid)
      expect(uids).toHaveLength(2)
      for (const uid of uids) expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    } finally {
      migrated.close()
    }
  })
})
