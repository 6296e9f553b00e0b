// A small archive with a known shape, for the review tests (issue 9): five conversations over two days with every
// draft outcome, two models, feedback, sources, tags, and replies made from drafts. The figures the tests expect
// from it are worked out by hand in test/review-store.test.ts.
import type { DraftSource } from '../../src/shared/knowledge'
import type { DraftResult, TranscriptStore } from '../../src/main/core/store/transcript-store'

export const DAY1 = Date.parse('2026-01-05T10:00:00.000Z')
export const DAY2 = Date.parse('2026-01-06T10:00:00.000Z')

/** A clock the archive (and the test) moves by hand. */
export function manualClock(start = DAY1) {
  let t = start
  return {
    now: () => new Date(t),
    set: (ms: number) => {
      t = ms
    },
    advance: (ms = 60_000) => {
      t += ms
    },
  }
}
export type ManualClock = ReturnType<typeof manualClock>

export interface Archive {
  a: number
  b: number
  c: number
  d: number
  e: number
  drafts: { a1: number; b1: number; b2: number; c1: number; c2: number; e1: number }
  replies: { a: number; c: number }
  vipTag: number
}

const source = (n: number, path: string): DraftSource => ({
  n,
  passageId: n,
  path,
  title: path.replace('.md', ''),
  heading: [],
  text: `About ${path}`,
})

function result(status: DraftResult['status'], firstTokenMs: number | null, tokens: [number, number, number] | null): DraftResult {
  return {
    status,
    usage: tokens
      ? { promptTokens: tokens[0], outputTokens: tokens[1], totalTokens: tokens[2] }
      : { promptTokens: null, outputTokens: null, totalTokens: null },
    firstTokenMs,
    durationMs: firstTokenMs === null ? null : firstTokenMs + 1000,
    finishReason: status === 'truncated' ? 'MAX_TOKENS' : null,
    errorKind: status === 'error' ? 'network' : null,
    errorMessage: status === 'error' ? 'The network failed.' : null,
  }
}

export function buildArchive(store: TranscriptStore, clock: ManualClock): Archive {
  const draft = (
    conversationId: number,
    model: string,
    text: string,
    outcome: DraftResult,
    sources: DraftSource[] = [],
    kind: 'reply' | 'summary' = 'reply',
  ): number => {
    clock.advance()
    const started = store.startDraft({ conversationId, source: 'app', model, sources, kind })
    if (text) store.appendDraftText(started.id, text)
    clock.advance()
    return store.finishDraft(started.id, outcome).id
  }
  const customer = (conversationId: number, text: string, from = 'app'): void => {
    clock.advance()
    store.addMessage({ conversationId, role: 'customer', text, source: from })
  }

  clock.set(DAY1)
  const a = store.createConversation({ title: 'Parcel late', source: 'app' }).id
  customer(a, 'My parcel is late, where is it?')
  const a1 = draft(a, 'gemini-a', 'kitten', result('complete', 100, [10, 20, 30]), [source(1, 'refunds.md'), source(2, 'shipping.md')])
  store.setFeedback(a1, { rating: 'up' })
  clock.advance()
  const replyA = store.addReply({ conversationId: a, text: 'sitting', source: 'app' }).id

  clock.advance()
  const b = store.createConversation({ title: 'Helpdesk ticket', source: 'helpdesk' }).id
  customer(b, 'The invoice is wrong', 'helpdesk')
  const b1 = draft(b, 'gemini-b', 'Partial', result('error', null, null))
  const b2 = draft(b, 'gemini-a', 'We are checking the invoice', result('stopped', 300, [5, 5, 10]), [source(1, 'refunds.md')])
  store.setFeedback(b2, { rating: 'down', reason: 'Wrong policy' })

  clock.set(DAY2)
  const c = store.createConversation({ title: 'Refund request', source: 'app' }).id
  customer(c, 'I want a refund please')
  const c1 = draft(c, 'gemini-b', 'Your refund is on its way', result('truncated', 200, [1, 2, 3]))
  const c2 = draft(c, 'gemini-b', '', result('blocked', null, null))
  clock.advance()
  const replyC = store.addReply({ conversationId: c, text: 'Your refund is on its way', source: 'app', draftId: c1 }).id

  clock.advance()
  const d = store.createConversation({ title: '退款', source: 'app' }).id
  customer(d, '我要退款 谢谢')

  clock.advance()
  const e = store.createConversation({ title: 'Summarized', source: 'app' }).id
  customer(e, 'Please summarize')
  const e1 = draft(e, 'gemini-a', 'A summary', result('complete', 50, [100, 100, 200]), [], 'summary')

  const vipTag = store.tags.create({ name: 'VIP', color: 'amber' }).id
  store.tags.tag(vipTag, [a])
  return { a, b, c, d, e, drafts: { a1, b1, b2, c1, c2, e1 }, replies: { a: replyA, c: replyC }, vipTag }
}
