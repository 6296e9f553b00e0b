// Opening existing files: migrating an older schema (with a backup first), and refusing, without
// changing a byte, what this version does not understand.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LATEST_VERSION, migrate } from '../src/main/core/store/migrations'
import { StoreOpenError, TranscriptStore } from '../src/main/core/store/transcript-store'

let dir: string
let file: string
const cleanups: (() => void)[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-migrations-'))
  file = join(dir, 'transcripts.db')
})

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  rmSync(dir, { recursive: true, force: true })
})

function raw(path = file, options?: Database.Options): Database.Database {
  const db = new Database(path, options)
  cleanups.push(() => db.close())
  return db
}

function openStore(options: Parameters<typeof TranscriptStore.open>[1] = {}): TranscriptStore {
  const store = TranscriptStore.open(file, options)
  cleanups.push(() => store.close())
  return store
}

/** A database exactly as version 1 of the app left it: core tables, no search index yet. */
function makeVersion1(): void {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  migrate(db, 1)
  const at = '2024-11-05T10:00:00.000Z'
  db.prepare('INSERT INTO conversations (id, title, source, created_at, updated_at) VALUES (1, ?, ?, ?, ?)').run('Old chat', 'app', at, at)
  const insert = db.prepare(
    'INSERT INTO messages (conversation_id, role, text, status, source, model, created_at, updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)',
  )
  insert.run('customer', 'My warranty claim was ignored', 'complete', 'app', null, at, at)
  insert.run('assistant_draft', 'I am sorry about the warranty delay', 'streaming', 'app', 'gemini-1.5', at, at)
  db.close()
}

/** Everything refused must leave the file as it was, byte for byte. */
function expectRefusedUnchanged(kind: StoreOpenError['kind'], message: RegExp): void {
  const before = readFileSync(file)
  let error: unknown
  try {
    openStore()
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(StoreOpenError)
  const refusal = error as StoreOpenError
  expect(refusal.kind).toBe(kind)
  expect(refusal.file).toBe(file)
  expect(refusal.message).toMatch(message)
  expect(refusal.message).toMatch(/Nothing was changed/)
  expect(readFileSync(file).equals(before)).toBe(true)
  expect(readdirSync(dir).filter((name) => name.includes('.backup-'))).toEqual([])
}

describe('migrations', () => {
  it('creates a new database at the latest version without a backup', () => {
    const store = openStore()
    expect(store.backupFile).toBeNull()
    store.close()
    expect(raw().pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(2)
  })

  it('backs up a version-1 database, then migrates it and indexes its history', () => {
    makeVersion1()
    writeFileSync(`${file}.original`, readFileSync(file))
    const store = openStore({ now: () => new Date('2025-06-01T12:30:45.678Z') })

    expect(store.backupFile).toBe(`${file}.backup-v1-2025-06-01T12-30-45-678Z`)
    expect(basename(store.backupFile ?? '')).toMatch(/^transcripts\.db\.backup-v1-/)

    // The backup is the old database: version 1, its rows, no search index.
    const backup = raw(store.backupFile ?? '', { readonly: true })
    expect(backup.pragma('user_version', { simple: true })).toBe(1)
    expect(backup.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 2 })
    expect(backup.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'messages_fts'").get()).toEqual({ n: 0 })
    // Same content as the file had (VACUUM INTO writes a fresh file, so compare rows rather than bytes).
    expect(backup.prepare('SELECT id, text, status FROM messages ORDER BY id').all()).toEqual(
      raw(`${file}.original`, { readonly: true }).prepare('SELECT id, text, status FROM messages ORDER BY id').all(),
    )

    // The migrated database: new version, old messages searchable, the streaming draft recovered.
    expect(store.recoveredInterrupted).toBe(1)
    const messages = store.getMessages(1)
    expect(messages.map((m) => [m.text, m.status])).toEqual([
      ['My warranty claim was ignored', 'complete'],
      ['I am sorry about the warranty delay', 'interrupted'],
    ])
    const hit = store.listConversations({ q: 'warranty' }).conversations[0]
    expect(hit).toMatchObject({ id: 1, title: 'Old chat', messageCount: 2 })
    expect(hit?.hit?.messageId).toBe(messages[1]?.id)
    expect(store.listConversations({ q: 'ignored' }).conversations[0]?.hit?.messageId).toBe(messages[0]?.id)
    store.close()
    expect(raw().pragma('user_version', { simple: true })).toBe(LATEST_VERSION)

    // Opening again is not a migration: no second backup.
    const again = openStore()
    expect(again.backupFile).toBeNull()
    expect(readdirSync(dir).filter((name) => name.includes('.backup-'))).toHaveLength(1)
  })

  it('rolls a failed migration step back, leaving the previous version and a backup', () => {
    makeVersion1()
    // Something in the way of migration 2, which must then fail as a whole.
    const db = new Database(file)
    db.exec('CREATE TABLE messages_fts (x)')
    db.close()
    const before = readFileSync(file)

    let error: unknown
    try {
      openStore()
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(StoreOpenError)
    expect((error as StoreOpenError).kind).toBe('migration-failed')
    expect((error as StoreOpenError).message).toMatch(new RegExp(`from schema version 1 to ${LATEST_VERSION} failed`))
    expect((error as StoreOpenError).message).toMatch(/backup-v1-/)
    expect((error as StoreOpenError).message).toMatch(/Nothing was changed/)
    expect(readFileSync(file).equals(before)).toBe(true)

    const after = raw(file, { readonly: true })
    expect(after.pragma('user_version', { simple: true })).toBe(1)
    expect(
      after.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE 'messages_fts_%' OR type = 'trigger' OR type = 'view'").get(),
    ).toEqual({ n: 0 })
    expect(after.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 2 })
    expect(readdirSync(dir).filter((name) => name.includes('.backup-v1-'))).toHaveLength(1)
  })
  it('backs up a version-2 database and rebuilds messages so that `truncated` is accepted, keeping ids, search and the id sequence', () => {
    const db = new Database(file)
    db.pragma('journal_mode = WAL')
    migrate(db, 2)
    const at = '2025-01-10T09:00:00.000Z'
    db.prepare('INSERT INTO conversations (id, title, source, created_at, updated_at) VALUES (1, ?, ?, ?, ?)').run('Kettle', 'app', at, at)
    const insert = db.prepare(
      'INSERT INTO messages (id, conversation_id, role, text, status, source, model, finish_reason, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    insert.run(3, 'customer', 'The kettle leaks', 'complete', 'app', null, null, at, at)
    insert.run(7, 'assistant_draft', 'Sorry about the leaking kettle', 'complete', 'app', 'gemini-2.5-flash', 'STOP', at, at)
    // The highest id ever used was deleted: AUTOINCREMENT must still never hand it out again.
    insert.run(9, 'agent', 'deleted later', 'complete', 'app', null, null, at, at)
    db.prepare('DELETE FROM messages WHERE id = 9').run()
    expect(() => insert.run(10, 'assistant_draft', 'cut', 'truncated', 'app', 'g', 'MAX_TOKENS', at, at)).toThrow(/CHECK/)
    db.close()

    const store = openStore({ now: () => new Date('2025-06-02T08:00:00.000Z') })
    expect(store.backupFile).toMatch(/\.backup-v2-2025-06-02T08-00-00-000Z$/)
    expect(raw(store.backupFile ?? '', { readonly: true }).pragma('user_version', { simple: true })).toBe(2)

    expect(store.getMessages(1).map((m) => [m.id, m.text, m.status, m.finishReason])).toEqual([
      [3, 'The kettle leaks', 'complete', null],
      [7, 'Sorry about the leaking kettle', 'complete', 'STOP'],
    ])
    expect(store.listConversations({ q: 'leaking' }).conversations[0]?.hit?.messageId).toBe(7)
    const draft = store.startDraft({ conversationId: 1, source: 'app', model: 'gemini-2.5-flash' })
    expect(draft.id).toBe(10)
    store.appendDraftText(draft.id, 'Cut off mid-')
    const finished = store.finishDraft(draft.id, {
      status: 'truncated',
      usage: { promptTokens: 1, outputTokens: 2, totalTokens: 3 },
      firstTokenMs: 1,
      durationMs: 2,
      finishReason: 'MAX_TOKENS',
      errorKind: null,
      errorMessage: null,
    })
    expect(finished).toMatchObject({ status: 'truncated', finishReason: 'MAX_TOKENS', text: 'Cut off mid-' })
    expect(store.listConversations({ q: 'mid' }).conversations[0]?.hit?.messageId).toBe(draft.id)
    store.close()

    const after = raw(file, { readonly: true })
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    expect(after.pragma('foreign_key_check')).toEqual([])
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok')
    // FTS5's own check that the index matches its content view; throws SQLITE_CORRUPT_VTAB when it does not.
    expect(() => raw().prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run()).not.toThrow()
    expect(after.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'messages' AND type IN ('index', 'trigger') ORDER BY name").all()).toEqual([
      { name: 'messages_by_conversation' },
      { name: 'messages_drafts_by_time' },
      { name: 'messages_fts_delete' },
      { name: 'messages_fts_insert' },
      { name: 'messages_fts_update' },
      { name: 'messages_streaming' },
      // Migration 6 (issue 9): the conversation summaries and the CJK trigram index follow messages.
      { name: 'messages_summary_feedback' },
      { name: 'messages_summary_insert' },
      { name: 'messages_summary_status' },
      { name: 'messages_trigram_delete' },
      { name: 'messages_trigram_insert' },
      { name: 'messages_trigram_update' },
    ])
  })
})

describe('refusing to open', () => {
  it('refuses a database from a newer version and leaves it unchanged', () => {
    const store = TranscriptStore.open(file)
    store.createConversation({ title: 'from the future', source: 'app' })
    store.close()
    const db = new Database(file)
    db.pragma(`user_version = ${LATEST_VERSION + 1}`)
    db.close()

    expectRefusedUnchanged('newer-version', /newer version of Support Console/)
    // Still readable by whoever wrote it.
    expect(raw(file, { readonly: true }).prepare('SELECT title FROM conversations').all()).toEqual([{ title: 'from the future' }])
  })

  it('refuses a file that is not a SQLite database and leaves it unchanged', () => {
    const garbage = Buffer.alloc(16_384)
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251
    writeFileSync(file, garbage)
    expectRefusedUnchanged('unreadable', /is not a SQLite database/)
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('refuses a file with a SQLite header but damaged contents and leaves it unchanged', () => {
    const damaged = Buffer.alloc(8192, 0xab)
    damaged.write('SQLite format 3\0', 0, 'latin1')
    writeFileSync(file, damaged)
    expectRefusedUnchanged('unreadable', /not a SQLite database|damaged|could not be read/)
  })

  it('refuses another application’s SQLite database and leaves it unchanged', () => {
    const db = new Database(file)
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('theirs')")
    db.close()
    expectRefusedUnchanged('unreadable', /not a Support Console transcript database/)
  })

  it('opens an empty file as a new database', () => {
    writeFileSync(file, '')
    const store = openStore()
    expect(store.createConversation({ title: 't', source: 'app' }).id).toBe(1)
  })
})
