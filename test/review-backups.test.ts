// Backups (issue 9): consistent copies with SQLite's online backup API, listed with size and date; the schedule
// (daily, keeping the last N scheduled ones); verification that refuses a damaged, foreign or newer file with
// nothing changed; and a restore that keeps the current database aside and is applied at the next start.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyPendingRestore, Backups, RESTORE_MARKER } from '../src/main/core/store/backups'
import { LATEST_VERSION } from '../src/main/core/store/migrations'
import { StoreInputError, TranscriptStore } from '../src/main/core/store/transcript-store'
import { harnessPerTest } from './helpers/core-harness'
import { manualClock } from './helpers/review-archive'

let dir: string
let dbFile: string
let backupsDir: string
let store: TranscriptStore
let clock: ReturnType<typeof manualClock>
let backups: Backups

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'review-backups-'))
  dbFile = join(dir, 'transcripts.db')
  backupsDir = join(dir, 'backups')
  clock = manualClock(Date.parse('2026-02-01T08:00:00.000Z'))
  store = TranscriptStore.open(dbFile, { now: clock.now })
  backups = new Backups({ dir: backupsDir, source: store, now: clock.now })
  for (let i = 0; i < 20; i++) {
    const { id } = store.createConversation({ title: `Conversation ${i}`, source: 'app' })
    store.addMessage({ conversationId: id, role: 'customer', text: `Message ${i} `.repeat(50), source: 'app' })
  }
})

afterEach(() => {
  backups.stopSchedule()
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('backups', () => {
  it('copy the live database while it is written, and list each with size and date, newest first', async () => {
    expect(backups.view()).toMatchObject({ backups: [], lastBackupAt: null, schedule: { enabled: true, intervalHours: 24, keep: 7 } })
    const writing = backups.create()
    // A write during the backup: the copy is consistent, of before or after it, never half of it.
    store.createConversation({ title: 'During', source: 'app' })
    const first = await writing
    expect(first).toMatchObject({ kind: 'manual', createdAt: '2026-02-01T08:00:00.000Z', id: 'transcripts-2026-02-01T08-00-00-000Z-manual.db' })
    expect(first.sizeBytes).toBeGreaterThan(4096)
    clock.advance()
    const second = await backups.create()
    expect(backups.list().map((b) => b.id)).toEqual([second.id, first.id])
    const checked = backups.check(first.id)
    expect(checked).toMatchObject({ ok: true, problem: null, schemaVersion: LATEST_VERSION, current: { conversations: 21 } })
    expect([20, 21]).toContain(checked.contents?.conversations)
    expect(existsSync(`${first.file}.partial`)).toBe(false)
  })

  it('run on a schedule and keep only the newest scheduled ones; manual ones stay', async () => {
    backups.updateSchedule({ keep: 2, intervalHours: 24 })
    const manual = await backups.create('manual')
    expect(await backups.runIfDue()).toMatchObject({ kind: 'scheduled' })
    clock.advance(3_600_000)
    expect(await backups.runIfDue()).toBeUndefined()
    for (let day = 0; day < 3; day++) {
      clock.advance(24 * 3_600_000)
      expect(await backups.runIfDue()).toMatchObject({ kind: 'scheduled' })
    }
    const kept = backups.list()
    expect(kept.filter((b) => b.kind === 'scheduled')).toHaveLength(2)
    expect(kept.map((b) => b.id)).toContain(manual.id)
    expect(backups.view().nextBackupAt).toBe(new Date(Date.parse(kept[0]?.createdAt as string) + 24 * 3_600_000).toISOString())
    backups.updateSchedule({ enabled: false })
    clock.advance(48 * 3_600_000)
    expect(await backups.runIfDue()).toBeUndefined()
    expect(backups.view().nextBackupAt).toBeNull()
  })

  it('refuse to restore a damaged, foreign or newer file, and change nothing', async () => {
    const good = await backups.create()
    const bytes = readFileSync(good.file)
    const write = (stamp: string, content: Buffer | string): string => {
      const id = `transcripts-2026-02-0${stamp}T00-00-00-000Z-manual.db`
      writeFileSync(join(backupsDir, id), content)
      return id
    }
    const garbage = write('2', 'this is not a database at all')
    // Half a database: the header is fine, pages are missing.
    const truncated = write('3', bytes.subarray(0, Math.floor(bytes.length / 2)))
    const foreign = join(backupsDir, 'transcripts-2026-02-04T00-00-00-000Z-manual.db')
    const other = new Database(foreign)
    other.exec('CREATE TABLE t (x)')
    other.close()
    const newer = join(backupsDir, 'transcripts-2026-02-05T00-00-00-000Z-manual.db')
    writeFileSync(newer, bytes)
    const future = new Database(newer)
    future.pragma(`user_version = ${LATEST_VERSION + 1}`)
    future.close()
    for (const [id, problem] of [
      [garbage, /cannot be read|damaged/],
      [truncated, /damaged|cannot be read/],
      ['transcripts-2026-02-04T00-00-00-000Z-manual.db', /not a Support Console/],
      ['transcripts-2026-02-05T00-00-00-000Z-manual.db', /newer Support Console/],
    ] as const) {
      const checked = backups.check(id)
      expect(checked.ok, id).toBe(false)
      expect(checked.problem).toMatch(problem)
      expect(() => backups.restore(id)).toThrow(StoreInputError)
    }
    expect(existsSync(join(backupsDir, RESTORE_MARKER))).toBe(false)
    expect(() => backups.check('transcripts-2026-09-09T00-00-00-000Z-manual.db')).toThrow(/no backup/)
  })

  it('restore at the next start: the current database is kept aside, never overwritten', async () => {
    const backup = await backups.create()
    clock.advance()
    store.createConversation({ title: 'After the backup', source: 'app' })
    const result = backups.restore(backup.id)
    expect(result).toMatchObject({ restored: { id: backup.id }, restartRequired: true })
    expect(result.keptAs).toBe(`${dbFile}.before-restore-2026-02-01T08-01-00-000Z`)
    store.close()
    // Something already at the promised name is not overwritten either.
    writeFileSync(result.keptAs, 'someone else’s file')
    const applied = applyPendingRestore(dbFile, backupsDir)
    expect(applied).toEqual({ restored: backup.file, keptAs: `${result.keptAs}-2` })
    expect(readFileSync(result.keptAs, 'utf8')).toBe('someone else’s file')
    expect(existsSync(join(backupsDir, RESTORE_MARKER))).toBe(false)
    expect(applyPendingRestore(dbFile, backupsDir)).toBeNull()
    const kept = new Database(applied?.keptAs as string, { readonly: true })
    expect(kept.prepare("SELECT count(*) AS n FROM conversations WHERE title = 'After the backup'").get()).toEqual({ n: 1 })
    kept.close()
    store = TranscriptStore.open(dbFile)
    expect(store.listConversations({ q: 'After' }).conversations).toEqual([])
    expect(store.counts().conversations).toBe(20)
  })

  it('are readable by this user only, and so is the database a restore puts in place', async () => {
    // The usual umask, under which SQLite creates files 0644: the backup must not keep that.
    const umask = process.umask(0o022)
    try {
      const backup = await backups.create()
      expect(statSync(backup.file).mode & 0o777).toBe(0o600)
      // A backup made before backups were private: the restored database still ends up private.
      chmodSync(backup.file, 0o644)
      backups.restore(backup.id)
      store.close()
      applyPendingRestore(dbFile, backupsDir)
      expect(statSync(dbFile).mode & 0o777).toBe(0o600)
      store = TranscriptStore.open(dbFile)
    } finally {
      process.umask(umask)
    }
  })
})

describe('backups in the running console', () => {
  const start = harnessPerTest()

  it('restore with a restart, through the API', async () => {
    const h = await start()
    const { api } = h.core
    await api.createConversation({ title: 'Before' })
    const backup = await api.createBackup()
    await api.createConversation({ title: 'After' })
    const check = await api.checkBackup(backup.id)
    expect(check).toMatchObject({ ok: true, contents: { conversations: 1 }, current: { conversations: 2 } })
    const restore = await api.restoreBackup(backup.id)
    const core = await h.restart()
    expect((await core.api.listConversations({})).conversations.map((c) => c.title)).toEqual(['Before'])
    expect(existsSync(restore.keptAs)).toBe(true)
    await expect(core.api.restoreBackup('transcripts-2026-01-01T00-00-00-000Z-manual.db')).rejects.toMatchObject({ code: 'not-found' })
  })
})
