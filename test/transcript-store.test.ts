// The transcript store against real SQLite files: one fresh temp dir per test, a second connection
// (or a second store) reading the same file where the behaviour is about what is on disk.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MESSAGE_ROLES, MESSAGE_STATUSES } from '../src/shared/domain'
import { openDatabase } from '../src/main/core/store/database'
import { toFtsQuery } from '../src/main/core/store/fts-query'
import { TextFlusher } from '../src/main/core/store/text-flusher'
import {
  HIT_END,
  HIT_START,
  StoreInputError,
  TranscriptStore,
  type DraftResult,
  type TranscriptStoreOptions,
} from '../src/main/core/store/transcript-store'

let dir: string
let file: string
const cleanups: (() => void)[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'transcript-store-'))
  file = join(dir, 'nested', 'transcripts.db')
})

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  rmSync(dir, { recursive: true, force: true })
})

function openStore(options: TranscriptStoreOptions = {}): TranscriptStore {
  const store = TranscriptStore.open(file, options)
  cleanups.push(() => store.close())
  return store
}

/** A second, independent connection to the same file: what another process would see. */
function reader(): Database.Database {
  const db = new Database(file, { readonly: true })
  cleanups.push(() => db.close())
  return db
}

function rowOf(db: Database.Database, id: number): { text: string; status: string } | undefined {
  return db.prepare('SELECT text, status FROM messages WHERE id = ?').get(id) as { text: string; status: string } | undefined
}

/** A clock the test moves by hand, so ordering and ties in updated_at are deterministic. */
function manualClock(start = Date.parse('2025-03-01T09:00:00.000Z')) {
  let t = start
  return {
    now: () => new Date(t),
    advance: (ms = 1) => {
      t += ms
    },
  }
}

const complete: DraftResult = {
  status: 'complete',
  usage: { promptTokens: 12, outputTokens: 34, totalTokens: 46 },
  firstTokenMs: 210,
  durationMs: 1234,
  finishReason: 'STOP',
  errorKind: null,
  errorMessage: null,
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe('conversations and messages', () => {
  it('round-trips conversations and messages, oldest first', () => {
    const clock = manualClock()
    const store = openStore({ now: clock.now })
    expect(store.file).toBe(file)

    const created = store.createConversation({ title: '  Refund for order 1182 ', source: 'app' })
    expect(created).toMatchObject({ title: 'Refund for order 1182', source: 'app', messageCount: 0 })
    expect(created.createdAt).toMatch(ISO_MS)
    expect(store.getConversation(created.id)).toEqual(created)

    clock.advance(5)
    const customer = store.addMessage({ conversationId: created.id, role: 'customer', text: 'My parcel never came.', source: 'app' })
    clock.advance(5)
    const note = store.addMessage({
      conversationId: created.id,
      role: 'system_note',
      text: 'Customer is on the premium plan.',
      source: 'crm-plugin',
    })
    expect(customer).toMatchObject({ status: 'complete', role: 'customer', model: null, errorKind: null })
    expect(customer.usage).toEqual({ promptTokens: null, outputTokens: null, totalTokens: null })
    expect(store.getMessage(customer.id)).toEqual(customer)
    expect(store.getMessages(created.id)).toEqual([customer, note])

    const detail = store.getDetail(created.id)
    expect(detail?.conversation).toMatchObject({ id: created.id, messageCount: 2, updatedAt: note.createdAt })
    expect(detail?.messages.map((m) => m.id)).toEqual([customer.id, note.id])

    // Renaming is not activity: the title changes, the place in the list does not.
    clock.advance(5)
    const renamed = store.renameConversation(created.id, 'Lost parcel')
    expect(renamed).toMatchObject({ title: 'Lost parcel', updatedAt: note.createdAt, messageCount: 2 })
    expect(store.renameConversation(9999, 'x')).toBeUndefined()

    expect(store.getConversation(9999)).toBeUndefined()
    expect(store.getMessage(9999)).toBeUndefined()
    expect(store.getDetail(9999)).toBeUndefined()
    expect(store.getMessages(9999)).toEqual([])
  })

  it('moves the conversation updated_at when a message is added and when a draft finishes', () => {
    const clock = manualClock()
    const store = openStore({ now: clock.now })
    const a = store.createConversation({ title: 'A', source: 'app' })
    clock.advance()
    const b = store.createConversation({ title: 'B', source: 'app' })
    expect(store.listConversations({}).conversations.map((c) => c.id)).toEqual([b.id, a.id])

    clock.advance()
    const draft = store.startDraft({ conversationId: a.id, source: 'app', model: 'gemini-2.5-flash' })
    expect(store.listConversations({}).conversations.map((c) => c.id)).toEqual([a.id, b.id])

    clock.advance()
    store.addMessage({ conversationId: b.id, role: 'agent', text: 'On it.', source: 'app' })
    expect(store.listConversations({}).conversations.map((c) => c.id)).toEqual([b.id, a.id])

    clock.advance()
    const finished = store.finishDraft(draft.id, complete)
    expect(store.getConversation(a.id)?.updatedAt).toBe(finished.updatedAt)
    expect(store.listConversations({}).conversations.map((c) => c.id)).toEqual([a.id, b.id])
  })

  it('keeps CJK, emoji and other non-ASCII text exactly, across a reopen', () => {
    const texts = [
      '我要退款，谢谢！',
      'お問い合わせありがとうございます 🙇‍♀️',
      'Familie 👨‍👩‍👧‍👦 and flags 🇩🇪🇯🇵',
      'Ünïcödé, RTL שלום, combining e\u0301, astral 𝄞, NUL-free \u2028 separators',
    ]
    const store = openStore()
    const conversation = store.createConversation({ title: '客户 🎧', source: 'app' })
    const ids = texts.map((text) => store.addMessage({ conversationId: conversation.id, role: 'customer', text, source: 'app' }).id)
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    // Split an emoji's surrogate pair across two appends, as a stream can.
    const heart = '💖'
    store.appendDraftText(draft.id, `您好 ${heart[0]}`)
    store.appendDraftText(draft.id, `${heart[1]} done`)
    store.finishDraft(draft.id, complete)
    store.close()

    const again = openStore()
    expect(again.getConversation(conversation.id)?.title).toBe('客户 🎧')
    expect(ids.map((id) => again.getMessage(id)?.text)).toEqual(texts)
    expect(again.getMessage(draft.id)?.text).toBe('您好 💖 done')
  })

  it('accepts every role and status the domain defines, and the database rejects others', () => {
    const store = openStore()
    const conversation = store.createConversation({ title: 'roles', source: 'app' })
    for (const role of MESSAGE_ROLES) {
      expect(store.addMessage({ conversationId: conversation.id, role, text: role, source: 'app' }).role).toBe(role)
    }
    store.close()

    // The CHECK lists are frozen in the migration; when the domain grows, this says a migration is due.
    const db = new Database(file)
    cleanups.push(() => db.close())
    const insert = db.prepare(
      "INSERT INTO messages (conversation_id, role, text, status, source, created_at, updated_at) VALUES (?, ?, '', ?, 'app', 'x', 'x')",
    )
    for (const status of MESSAGE_STATUSES) expect(() => insert.run(conversation.id, 'agent', status)).not.toThrow()
    expect(() => insert.run(conversation.id, 'robot', 'complete')).toThrow(/CHECK/)
    expect(() => insert.run(conversation.id, 'agent', 'done')).toThrow(/CHECK/)
  })

  it('rejects bad input with a StoreInputError, not a raw SQLite error', () => {
    const store = openStore()
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const bad: (() => unknown)[] = [
      () => store.addMessage({ conversationId: 424242, role: 'customer', text: 'hi', source: 'app' }),
      () => store.startDraft({ conversationId: 424242, source: 'app', model: 'gemini' }),
      () => store.addMessage({ conversationId: -1, role: 'customer', text: 'hi', source: 'app' }),
      () => store.addMessage({ conversationId: conversation.id, role: 'robot' as never, text: 'hi', source: 'app' }),
      () => store.addMessage({ conversationId: conversation.id, role: 'agent', text: 42 as never, source: 'app' }),
      () => store.addMessage({ conversationId: conversation.id, role: 'agent', text: 'x', source: '' }),
      // Streaming rows come only from startDraft, which can also finish them.
      () => store.addMessage({ conversationId: conversation.id, role: 'agent', text: 'x', source: 'app', status: 'streaming' }),
      () => store.createConversation({ title: 'x'.repeat(501), source: 'app' }),
      () => store.startDraft({ conversationId: conversation.id, source: 'app', model: '' }),
      () => store.appendDraftText(777, 'text'),
      () => store.finishDraft(777, complete),
    ]
    for (const call of bad) expect(call).toThrow(StoreInputError)
    expect(() => store.addMessage({ conversationId: 424242, role: 'customer', text: 'hi', source: 'app' })).toThrow(
      'Conversation 424242 does not exist.',
    )
    // Nothing half-written by the refused calls.
    expect(store.getConversation(conversation.id)?.messageCount).toBe(0)
  })

  it('deletes a conversation with its messages and their search entries', () => {
    const store = openStore()
    const keep = store.createConversation({ title: 'keep', source: 'app' })
    const gone = store.createConversation({ title: 'gone', source: 'app' })
    store.addMessage({ conversationId: keep.id, role: 'customer', text: 'invoice question', source: 'app' })
    store.addMessage({ conversationId: gone.id, role: 'customer', text: 'invoice missing', source: 'app' })
    const draft = store.startDraft({ conversationId: gone.id, source: 'app', model: 'gemini' })
    store.appendDraftText(draft.id, 'Sorry to hear')

    expect(store.deleteConversation(gone.id)).toBe(true)
    expect(store.deleteConversation(gone.id)).toBe(false)
    expect(store.getConversation(gone.id)).toBeUndefined()
    expect(store.getMessages(gone.id)).toEqual([])
    // The draft streaming into it has nowhere to go; its buffered text is dropped, not flushed.
    expect(() => store.appendDraftText(draft.id, 'more')).toThrow(StoreInputError)
    expect(() => store.flush()).not.toThrow()

    const db = reader()
    expect(db.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?').get(gone.id)).toEqual({ n: 0 })
    expect(store.listConversations({ q: 'invoice' }).conversations.map((c) => c.id)).toEqual([keep.id])
    expect(() => db.prepare("SELECT * FROM messages_fts WHERE messages_fts MATCH 'invoice'").all()).not.toThrow()
    store.close()
    const writer = new Database(file)
    cleanups.push(() => writer.close())
    expect(() => writer.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")).not.toThrow()
  })
})

describe('streaming drafts', () => {
  it('creates the draft row before the first token, visible to another connection as streaming', () => {
    const store = openStore()
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini-2.5-flash' })
    expect(draft).toMatchObject({ role: 'assistant_draft', status: 'streaming', text: '', model: 'gemini-2.5-flash' })

    expect(rowOf(reader(), draft.id)).toEqual({ text: '', status: 'streaming' })
  })

  it('buffers appends and writes them within the flush interval, in far fewer transactions', async () => {
    const store = openStore({ flushIntervalMs: 50 })
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    const db = reader()

    let expected = ''
    for (let i = 0; i < 1000; i++) {
      const delta = `tok${i} `
      expected += delta
      store.appendDraftText(draft.id, delta)
    }
    // Not one write per call: the other connection sees nothing yet, this store sees it all.
    expect(rowOf(db, draft.id)?.text).toBe('')
    expect(store.stats).toEqual({ flushes: 0, textWrites: 0 })
    expect(store.getMessage(draft.id)?.text).toBe(expected)

    await sleep(200)
    expect(rowOf(db, draft.id)).toEqual({ text: expected, status: 'streaming' })
    expect(store.stats.flushes).toBeGreaterThanOrEqual(1)
    expect(store.stats.flushes).toBeLessThanOrEqual(3)
    expect(store.stats.textWrites).toBe(store.stats.flushes)

    // Once written, the timer is not re-armed: an idle store does no work.
    const before = store.stats
    await sleep(150)
    expect(store.stats).toEqual(before)
  })

  it('flushes every pending draft in one transaction', () => {
    const store = openStore({ flushIntervalMs: 250 })
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const drafts = Array.from({ length: 100 }, () => store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' }))
    for (let round = 0; round < 20; round++) for (const d of drafts) store.appendDraftText(d.id, `${round},`)

    store.flush()
    expect(store.stats).toEqual({ flushes: 1, textWrites: 100 })
    const db = reader()
    const want = Array.from({ length: 20 }, (_, round) => `${round},`).join('')
    for (const d of drafts) expect(rowOf(db, d.id)?.text).toBe(want)
    store.flush()
    expect(store.stats.flushes).toBe(1)
  })

  it('finishDraft writes the pending text and the result together', () => {
    const clock = manualClock()
    const store = openStore({ flushIntervalMs: 250, now: clock.now })
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    store.appendDraftText(draft.id, 'Hello, ')
    store.appendDraftText(draft.id, 'thanks for waiting.')

    clock.advance(1500)
    const finished = store.finishDraft(draft.id, { ...complete, durationMs: 1499.6 })
    expect(finished).toMatchObject({
      text: 'Hello, thanks for waiting.',
      status: 'complete',
      usage: { promptTokens: 12, outputTokens: 34, totalTokens: 46 },
      firstTokenMs: 210,
      durationMs: 1500,
      finishReason: 'STOP',
      errorKind: null,
      errorMessage: null,
    })
    expect(finished.updatedAt).not.toBe(finished.createdAt)
    expect(rowOf(reader(), draft.id)).toEqual({ text: 'Hello, thanks for waiting.', status: 'complete' })
    expect(store.stats).toEqual({ flushes: 0, textWrites: 1 })

    // A finished draft takes no more text and cannot finish twice.
    expect(() => store.appendDraftText(draft.id, 'late')).toThrow(StoreInputError)
    expect(() => store.finishDraft(draft.id, complete)).toThrow(StoreInputError)
  })

  it('keeps partial text next to an error, and never stores an API key in the error message', () => {
    const store = openStore()
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    store.appendDraftText(draft.id, 'Partial answer')
    const key = 'AIza' + 'S'.repeat(35)
    const failed = store.finishDraft(draft.id, {
      status: 'error',
      usage: { promptTokens: null, outputTokens: null, totalTokens: null },
      firstTokenMs: 300,
      durationMs: 900,
      finishReason: null,
      errorKind: 'network',
      errorMessage: `fetch failed for https://example.test/?key=${key}`,
    })
    expect(failed).toMatchObject({ text: 'Partial answer', status: 'error', errorKind: 'network' })
    expect(failed.errorMessage).not.toContain(key)
    expect(failed.errorMessage).toContain('[redacted]')

    const second = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    expect(() => store.finishDraft(second.id, { ...complete, status: 'interrupted' as never })).toThrow(StoreInputError)
    expect(() => store.finishDraft(second.id, { ...complete, errorKind: 'gremlins' as never })).toThrow(StoreInputError)
    // A refused finish leaves the draft live, so the caller can still finish it properly.
    expect(store.finishDraft(second.id, { ...complete, status: 'stopped' }).status).toBe('stopped')
  })

  it('recovers a draft left streaming by a crash as interrupted, with its flushed text', () => {
    const first = openStore({ flushIntervalMs: 250 })
    const conversation = first.createConversation({ title: 't', source: 'app' })
    const draft = first.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    first.appendDraftText(draft.id, 'Before the crash')
    first.flush()
    // Not flushed: the at-most-one-interval a crash can lose.
    first.appendDraftText(draft.id, ' lost tail')
    expect(first.recoveredInterrupted).toBe(0)

    // No close(): the first store "crashed". A new one opens the same file.
    const second = TranscriptStore.open(file)
    cleanups.push(() => second.close())
    expect(second.recoveredInterrupted).toBe(1)
    expect(second.getMessage(draft.id)).toMatchObject({ status: 'interrupted', text: 'Before the crash' })
    // Interrupted text is finished as far as search is concerned.
    expect(second.listConversations({ q: 'crash' }).conversations[0]?.hit?.messageId).toBe(draft.id)

    const third = TranscriptStore.open(file)
    cleanups.push(() => third.close())
    expect(third.recoveredInterrupted).toBe(0)
  })

  it('close() flushes buffered text before closing', () => {
    const store = TranscriptStore.open(file, { flushIntervalMs: 250 })
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    store.appendDraftText(draft.id, 'kept on close')
    store.close()
    store.close()
    expect(rowOf(reader(), draft.id)).toEqual({ text: 'kept on close', status: 'streaming' })
    expect(() => store.appendDraftText(draft.id, 'x')).toThrow(/closed/)
  })
})

describe('text flusher', () => {
  it('keeps text pending when a write fails and writes it, once, on the next attempt', async () => {
    const written: string[] = []
    const errors: unknown[] = []
    let fail = true
    const flusher = new TextFlusher(
      10,
      (batch) => {
        if (fail) throw new Error('SQLITE_BUSY')
        for (const [id, text] of batch) written.push(`${id}:${text}`)
      },
      (error) => errors.push(error),
      { firstRetryMs: 10, maxRetryMs: 10 },
    )
    flusher.append(1, 'a')
    flusher.append(1, 'b')
    flusher.append(2, 'c')
    await sleep(30)
    expect(errors.length).toBeGreaterThanOrEqual(1)
    expect(flusher.peek(1)).toBe('ab')
    fail = false
    flusher.append(1, 'd')
    await sleep(30)
    expect(written).toEqual(['1:abd', '2:c'])
    expect(flusher.hasPending).toBe(false)
    flusher.dispose()
  })
})

describe('failing writes (full disk, read-only folder)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('retries with doubling backoff up to the cap, reporting once when it starts and once when it recovers', () => {
    vi.useFakeTimers()
    const attempts: number[] = []
    const errors: unknown[] = []
    const recovered: number[] = []
    let fail = true
    const flusher = new TextFlusher<string>(
      100,
      (texts, finals) => {
        attempts.push(Date.now())
        if (fail) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
        expect([...texts]).toEqual([[1, 'ab']])
        expect([...finals]).toEqual([[1, 'complete']])
      },
      (error) => errors.push(error),
      { firstRetryMs: 500, maxRetryMs: 4000, onRecovered: (ms) => recovered.push(ms) },
    )
    const start = Date.now()
    flusher.append(1, 'a')
    vi.advanceTimersByTime(100)
    flusher.append(1, 'b')
    flusher.keepFinal(1, 'complete', new Error('finish failed too'))
    vi.advanceTimersByTime(20_000)
    const gaps = attempts.map((at, i) => at - (attempts[i - 1] ?? start))
    // First attempt at the flush interval; keepFinal's failure doubles the wait once more.
    expect(gaps.slice(0, 5)).toEqual([100, 1000, 2000, 4000, 4000])
    expect(errors).toHaveLength(1)
    expect(flusher.peek(1)).toBe('ab')
    expect(flusher.unsaved()).toEqual([{ messageId: 1, text: 'ab', final: 'complete' }])

    fail = false
    vi.advanceTimersByTime(4000)
    expect(flusher.hasPending).toBe(false)
    expect(flusher.failing).toBe(false)
    expect(recovered).toHaveLength(1)
    expect(errors).toHaveLength(1)
    const calls = attempts.length
    vi.advanceTimersByTime(60_000)
    expect(attempts).toHaveLength(calls)
    flusher.dispose()
  })
})

describe('opening', () => {
  it('uses WAL, foreign keys, NORMAL sync and a busy timeout', () => {
    const { db } = openDatabase(file, () => new Date())
    cleanups.push(() => db.close())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0)
    // Every transcript is in it: readable by this user only, whatever the umask.
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    // WAL is persistent: any other connection sees it too.
    expect(reader().pragma('journal_mode', { simple: true })).toBe('wal')
  })

  it("commits people's messages with FULL sync and drafts with NORMAL, and always goes back to NORMAL", () => {
    const store = TranscriptStore.open(file)
    cleanups.push(() => store.close())
    const conversation = store.createConversation({ title: 'Durability', source: 'app' })
    const pragma = vi.spyOn(Database.prototype, 'pragma')
    cleanups.push(() => pragma.mockRestore())
    const syncSettings = (): unknown[] => pragma.mock.calls.map(([sql]) => sql).filter((sql) => /synchronous/.test(String(sql)))
    store.addMessage({ conversationId: conversation.id, role: 'customer', text: 'Where is my parcel?', source: 'app' })
    expect(syncSettings()).toEqual(['synchronous = FULL', 'synchronous = NORMAL'])
    pragma.mockClear()
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'm' })
    store.appendDraftText(draft.id, 'On its way.')
    store.finishDraft(draft.id, {
      status: 'complete',
      usage: { promptTokens: 1, outputTokens: 1, totalTokens: 2 },
      firstTokenMs: 1,
      durationMs: 2,
      finishReason: 'STOP',
      errorKind: null,
      errorMessage: null,
    })
    expect(syncSettings()).toEqual([])
    // A refused write (no such conversation) still puts NORMAL back.
    expect(() => store.addMessage({ conversationId: 999_999, role: 'agent', text: 'x', source: 'app' })).toThrow()
    expect(syncSettings().at(-1)).toBe('synchronous = NORMAL')
  })

  it('rejects a flush interval above the 250 ms bound', () => {
    expect(() => TranscriptStore.open(file, { flushIntervalMs: 1000 })).toThrow(StoreInputError)
  })
})

describe('search', () => {
  function seed(store: TranscriptStore) {
    const billing = store.createConversation({ title: 'Billing', source: 'app' })
    const shipping = store.createConversation({ title: 'Shipping', source: 'app' })
    const a = store.addMessage({ conversationId: billing.id, role: 'customer', text: 'I was charged twice, I want a refund.', source: 'app' })
    const b = store.addMessage({ conversationId: billing.id, role: 'agent', text: 'The refund was issued today.', source: 'app' })
    const c = store.addMessage({
      conversationId: shipping.id,
      role: 'customer',
      text: 'Where is my parcel? Tracking says café delivery.',
      source: 'app',
    })
    return { billing, shipping, a, b, c }
  }

  it('finds words in finished messages, with the most recent matching message as the hit', () => {
    const store = openStore()
    const { billing, shipping, b, c } = seed(store)

    const page = store.listConversations({ q: 'refund' })
    expect(page.conversations.map((x) => x.id)).toEqual([billing.id])
    expect(page.conversations[0]?.hit?.messageId).toBe(b.id)
    expect(page.conversations[0]?.messageCount).toBe(2)
    expect(page.nextCursor).toBeNull()

    // Every word must match; the last one is a prefix; diacritics and case are folded.
    expect(store.listConversations({ q: 'parcel CAFE' }).conversations.map((x) => x.id)).toEqual([shipping.id])
    expect(store.listConversations({ q: 'trac' }).conversations[0]?.hit?.messageId).toBe(c.id)
    expect(store.listConversations({ q: 'refund parcel' }).conversations).toEqual([])
    expect(store.listConversations({ q: 'tra parcel' }).conversations).toEqual([]) // only the last term is a prefix
    // Without q there is no hit; blank q is no query.
    expect(store.listConversations({}).conversations.every((x) => x.hit === null)).toBe(true)
    expect(store.listConversations({ q: '   ' }).conversations).toHaveLength(2)
  })

  it('wraps the match in the private-use markers', () => {
    const store = openStore()
    seed(store)
    const snippet = store.listConversations({ q: 'issu' }).conversations[0]?.hit?.snippet
    expect(HIT_START).toBe('\uE000')
    expect(HIT_END).toBe('\uE001')
    expect(snippet).toBe(`The refund was ${HIT_START}issued${HIT_END} today.`)

    const long = store.createConversation({ title: 'long', source: 'app' })
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`)
    words[150] = 'needle'
    store.addMessage({ conversationId: long.id, role: 'customer', text: words.join(' '), source: 'app' })
    const cut = store.listConversations({ q: 'needle' }).conversations[0]?.hit?.snippet ?? ''
    expect(cut).toContain(`${HIT_START}needle${HIT_END}`)
    expect(cut.startsWith('…')).toBe(true)
    expect(cut.length).toBeLessThan(200)
  })

  it('does not index a streaming draft until it is finished', () => {
    const store = openStore()
    const conversation = store.createConversation({ title: 't', source: 'app' })
    const draft = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'gemini' })
    store.appendDraftText(draft.id, 'We will send a replacement shortly.')
    store.flush()
    expect(store.listConversations({ q: 'replacement' }).conversations).toEqual([])

    store.appendDraftText(draft.id, ' Apologies again.')
    store.finishDraft(draft.id, { ...complete, status: 'stopped' })
    const hit = store.listConversations({ q: 'apologies' }).conversations[0]?.hit
    expect(hit?.messageId).toBe(draft.id)
    expect(store.listConversations({ q: 'replacement' }).conversations).toHaveLength(1)
  })

  it('never throws on hostile search text', () => {
    const store = openStore()
    seed(store)
    const hostile = [
      '"',
      '""',
      '"refund',
      'refund"',
      "'",
      '*',
      '**',
      'refund*',
      '*refund',
      '-',
      '-refund',
      'refund -twice',
      '+',
      '^refund',
      'NEAR',
      'NEAR(refund twice)',
      'NEAR(refund twice, 2)',
      'refund AND',
      'OR',
      'refund OR parcel',
      'NOT refund',
      'AND OR NOT',
      '(',
      ')',
      '(refund',
      'refund)',
      '()',
      '{text}: refund',
      'text:refund',
      'text : refund',
      ':',
      'messages_fts:refund',
      'rank',
      '\\',
      '\u0000refund',
      'refund\u0000',
      '\t\n\r',
      '😀',
      '👨‍👩‍👧‍👦 refund',
      '退款',
      '我要退款',
      'お問い合わせ',
      '\uE000',
      '\uFFFF',
      '\uD800',
      'a'.repeat(10_000),
      Array.from({ length: 500 }, (_, i) => `w${i}`).join(' '),
      '%',
      '_',
      ';DROP TABLE messages;--',
    ]
    for (const q of hostile) {
      expect(() => store.listConversations({ q }), JSON.stringify(q.slice(0, 40))).not.toThrow()
    }
    // Operators are plain words, and quotes do not break out of the phrase.
    expect(store.listConversations({ q: '"refund"' }).conversations).toHaveLength(1)
    expect(store.listConversations({ q: 'refund)' }).conversations).toHaveLength(1)
    expect(store.listConversations({ q: 'NOT refund' }).conversations).toEqual([])
    expect(store.listConversations({ q: '-' }).conversations).toEqual([])
    expect(store.getMessages(1).length).toBeGreaterThan(0)
  })

  it('quotes every term and prefixes the last', () => {
    expect(toFtsQuery('refund twice')).toBe('"refund" "twice"*')
    expect(toFtsQuery('say "hi" NEAR(x)')).toBe('"say" """hi""" "NEAR(x)"*')
    expect(toFtsQuery('- * ()')).toBeNull()
    expect(toFtsQuery('a\u0000b')).toBe('"a" "b"*')
  })

  it('finds CJK text by its leading characters', () => {
    const store = openStore()
    const conversation = store.createConversation({ title: 'cjk', source: 'app' })
    store.addMessage({ conversationId: conversation.id, role: 'customer', text: '我要退款 谢谢 🙏', source: 'app' })
    expect(store.listConversations({ q: '我要' }).conversations).toHaveLength(1)
    expect(store.listConversations({ q: '谢谢' }).conversations[0]?.hit?.snippet).toBe(`我要退款 ${HIT_START}谢谢${HIT_END} 🙏`)
  })
})

describe('listing and paging', () => {
  function seedMany(store: TranscriptStore, clock: ReturnType<typeof manualClock>, count: number, sameTimeEvery = 3) {
    const ids: number[] = []
    for (let i = 0; i < count; i++) {
      // Runs of conversations share one updated_at, so paging must break ties by id.
      if (i % sameTimeEvery === 0) clock.advance(10)
      const c = store.createConversation({ title: `c${i}`, source: 'app' })
      store.addMessage({ conversationId: c.id, role: 'customer', text: `order number ${i} refund`, source: 'app' })
      ids.push(c.id)
    }
    return ids
  }

  function pageThrough(store: TranscriptStore, query: { q?: string; limit: number }) {
    const pages: number[][] = []
    let cursor: string | undefined
    do {
      const page = store.listConversations({ ...query, cursor })
      pages.push(page.conversations.map((c) => c.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor && pages.length < 50)
    return pages
  }

  it('pages newest first across 3 pages with ties in updated_at, no duplicates or gaps', () => {
    const clock = manualClock()
    const store = openStore({ now: clock.now })
    const ids = seedMany(store, clock, 8)
    const newestFirst = [...ids].sort((x, y) => {
      const cx = store.getConversation(x) as { updatedAt: string }
      const cy = store.getConversation(y) as { updatedAt: string }
      return cy.updatedAt.localeCompare(cx.updatedAt) || y - x
    })

    const pages = pageThrough(store, { limit: 3 })
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2])
    expect(pages.flat()).toEqual(newestFirst)

    const searched = pageThrough(store, { q: 'refund', limit: 3 })
    expect(searched.map((p) => p.length)).toEqual([3, 3, 2])
    expect(searched.flat()).toEqual(newestFirst)
  })

  it('keeps its place when conversations are added between pages', () => {
    const clock = manualClock()
    const store = openStore({ now: clock.now })
    const ids = seedMany(store, clock, 6)
    const first = store.listConversations({ limit: 3 })
    clock.advance(100)
    store.createConversation({ title: 'newer', source: 'app' })
    const second = store.listConversations({ limit: 3, cursor: first.nextCursor ?? undefined })
    expect([...first.conversations, ...second.conversations].map((c) => c.id).sort()).toEqual([...ids].sort())
  })

  it('defaults to 50 per page and clamps the limit to 1..200', () => {
    const clock = manualClock()
    const store = openStore({ now: clock.now })
    seedMany(store, clock, 205, 1)
    expect(store.listConversations({}).conversations).toHaveLength(50)
    expect(store.listConversations({ limit: 1000 }).conversations).toHaveLength(200)
    expect(store.listConversations({ limit: 0 }).conversations).toHaveLength(1)
    expect(() => store.listConversations({ limit: Number.NaN })).toThrow(StoreInputError)
  })

  it('reports message counts per conversation', () => {
    const store = openStore()
    const a = store.createConversation({ title: 'a', source: 'app' })
    const b = store.createConversation({ title: 'b', source: 'app' })
    for (let i = 0; i < 3; i++) store.addMessage({ conversationId: a.id, role: 'customer', text: `m${i}`, source: 'app' })
    store.startDraft({ conversationId: a.id, source: 'app', model: 'gemini' })
    const counts = Object.fromEntries(store.listConversations({}).conversations.map((c) => [c.id, c.messageCount]))
    expect(counts).toEqual({ [a.id]: 4, [b.id]: 0 })
  })

  it('rejects an invalid cursor with a StoreInputError', () => {
    const store = openStore()
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const invalid = [
      '',
      'not a cursor!',
      'WyJ4',
      b64({ updatedAt: '2025-01-01T00:00:00.000Z', id: 1 }),
      b64(['yesterday', 1]),
      b64(['2025-01-01T00:00:00.000Z', -3]),
      b64(['2025-01-01T00:00:00.000Z', 1.5]),
      b64(['2025-01-01T00:00:00.000Z', 1, 'extra']),
      'A'.repeat(5000),
    ]
    for (const cursor of invalid) {
      expect(() => store.listConversations({ cursor }), cursor.slice(0, 30)).toThrow(StoreInputError)
    }
    expect(() => store.listConversations({ cursor: 'nope' })).toThrow(/cursor is not valid/)
    expect(store.listConversations({ cursor: b64(['2025-01-01T00:00:00.000Z', 1]) }).conversations).toEqual([])
  })
})
