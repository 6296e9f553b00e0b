// writeTogether(): the request path's one commit for a new conversation, its customer message and the draft
// row, made durable by a WAL sync on the thread pool (wal-sync.ts) rather than by an fsync on the main thread.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Checkpointer } from '../src/main/core/store/checkpointer'
import { StoreInputError, TranscriptStore } from '../src/main/core/store/transcript-store'

let dir: string
let file: string
const cleanups: (() => void)[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-group-commit-'))
  file = join(dir, 'support-console.db')
})
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  rmSync(dir, { recursive: true, force: true })
})

function open(): TranscriptStore {
  const store = TranscriptStore.open(file)
  cleanups.push(() => store.close())
  return store
}

function startReply(store: TranscriptStore, text: string): { conversationId: number; draftId: number } {
  return store.writeTogether(() => {
    const conversation = store.createConversation({ title: text, source: 'bench' })
    store.addMessage({ conversationId: conversation.id, role: 'customer', text, source: 'bench' })
    const draft = store.startDraft({ conversationId: conversation.id, source: 'bench', model: 'm' })
    return { conversationId: conversation.id, draftId: draft.id }
  })
}

describe('TranscriptStore.writeTogether', () => {
  it('commits at once without an fsync on this thread, then syncs the WAL once for many requests', async () => {
    const store = open()
    const pragma = vi.spyOn(Database.prototype, 'pragma')
    cleanups.push(() => pragma.mockRestore())
    const started = Array.from({ length: 20 }, (_, i) => startReply(store, `Where is order ${i}?`))
    expect(pragma.mock.calls.filter(([sql]) => /synchronous/.test(String(sql)))).toEqual([])

    // Another connection sees every row at once: the commits are in the WAL.
    const reader = new Database(file, { readonly: true })
    cleanups.push(() => reader.close())
    const count = (sql: string): number => (reader.prepare(sql).get() as { n: number }).n
    expect(count('SELECT count(*) AS n FROM conversations')).toBe(20)
    expect(count("SELECT count(*) AS n FROM messages WHERE role = 'customer'")).toBe(20)
    expect(count("SELECT count(*) AS n FROM messages WHERE status = 'streaming'")).toBe(20)

    await store.synced()
    // One sync for the 20 commits, and perhaps the one synced() itself asked for.
    expect(store.walSyncs).toBeGreaterThanOrEqual(1)
    expect(store.walSyncs).toBeLessThanOrEqual(2)
    for (const { draftId } of started) store.appendDraftText(draftId, 'On its way.')
  })

  it('writes nothing when the work inside throws, and a draft started in it is not live', () => {
    const store = open()
    let draftId = 0
    expect(() =>
      store.writeTogether(() => {
        const conversation = store.createConversation({ title: 'Rolled back', source: 'app' })
        draftId = store.startDraft({ conversationId: conversation.id, source: 'app', model: 'm' }).id
        throw new Error('refused after the draft row')
      }),
    ).toThrow(/refused/)
    expect(store.listConversations().conversations).toEqual([])
    expect(() => store.appendDraftText(draftId, 'late')).toThrow(StoreInputError)
  })

  it('keeps addMessage alone on FULL sync, inside the commit', () => {
    const store = open()
    const conversation = store.createConversation({ title: 'Alone', source: 'app' })
    const pragma = vi.spyOn(Database.prototype, 'pragma')
    cleanups.push(() => pragma.mockRestore())
    store.addMessage({ conversationId: conversation.id, role: 'customer', text: 'Hello', source: 'app' })
    expect(pragma.mock.calls.map(([sql]) => sql).filter((sql) => /synchronous/.test(String(sql)))).toEqual([
      'synchronous = FULL',
      'synchronous = NORMAL',
    ])
  })
})

describe('Checkpointer', () => {
  it('checkpoints a grown WAL on its worker thread, and closes its connection before the store closes', async () => {
    const db = new Database(file)
    db.pragma('journal_mode = WAL')
    db.pragma('wal_autocheckpoint = 0')
    db.exec('CREATE TABLE t (x TEXT)')
    const errors: string[] = []
    const checkpointer = new Checkpointer(file, {
      intervalMs: 10,
      thresholdBytes: 64 * 1024,
      onError: (e) => errors.push(e),
      onStopped: () => errors.push('stopped'),
    })
    const insert = db.prepare('INSERT INTO t VALUES (?)')
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(1_000))
    const deadline = Date.now() + 5_000
    while (checkpointer.runs === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(checkpointer.runs).toBeGreaterThan(0)
    expect(checkpointer.lastPages).toBeGreaterThan(0)
    checkpointer.close()
    // The worker's connection is closed: this one is the last, so closing it removes the WAL.
    db.close()
    expect(existsSync(`${file}-wal`)).toBe(false)
    expect(errors).toEqual([])
  })
})
