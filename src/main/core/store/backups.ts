// Backups of the transcript database (issue 9): consistent copies made with SQLite's online backup API while the
// console runs, on demand and on a schedule (daily, keeping the last 7, by default), in <data>/backups.
//
// Restoring happens at the next start, not live: the store's connection is held by drafting, the API, the local
// server and any draft streaming into it, and swapping the file under them risks a draft writing into the wrong
// history. So restore() only checks the backup and leaves a marker; applyPendingRestore(), called before the store
// opens, renames the current database aside (never overwritten) and copies the backup in.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import Database from 'better-sqlite3'
import type { ArchiveCounts, BackupCheck, BackupInfo, BackupSchedule, BackupScheduleUpdate, BackupsView, RestoreResult } from '../../../shared/review'
import { StoreInputError } from './errors'
import { APPLICATION_ID, LATEST_VERSION } from './migrations'

/** Readable and writable by this user only, like the other files in the data folder (config/private-file.ts). */
const PRIVATE_FILE_MODE = 0o600
export const DEFAULT_BACKUP_SCHEDULE: BackupSchedule = { enabled: true, intervalHours: 24, keep: 7 }
const SCHEDULE_FILE = 'schedule.json'
export const RESTORE_MARKER = 'restore-pending.json'
const NAME = /^transcripts-([0-9TZ-]+)-(manual|scheduled)(-\d+)?\.db$/

export interface BackupSource {
  /** Writes a consistent copy of the live database to `file` (TranscriptStore.backupTo). */
  backupTo(file: string): Promise<void>
  /** Counts of the live database, to show next to a backup's before restoring. */
  counts(): ArchiveCounts
  /** The live database file. */
  readonly file: string
}

export interface BackupsOptions {
  dir: string
  source: BackupSource
  now?: () => Date
  nativeBinding?: string
  /** Logged once per failed scheduled backup; default console.error. */
  onError?: (error: unknown) => void
}

export class Backups {
  private readonly now: () => Date
  private timer: NodeJS.Timeout | undefined
  private first: NodeJS.Timeout | undefined
  private firstCheckAt: Date | undefined
  private running: Promise<BackupInfo> | undefined

  constructor(private readonly options: BackupsOptions) {
    this.now = options.now ?? (() => new Date())
  }

  get dir(): string {
    return this.options.dir
  }

  view(): BackupsView {
    const backups = this.list()
    const schedule = this.schedule()
    const last = backups[0]?.createdAt ?? null
    const lastScheduled = backups.find((b) => b.kind === 'scheduled')?.createdAt ?? null
    // Before the first scheduled backup, the next is at the schedule's first check (null while it is not running).
    const next = !schedule.enabled
      ? null
      : lastScheduled !== null
        ? this.nextDue(lastScheduled, schedule).toISOString()
        : (this.firstCheckAt?.toISOString() ?? null)
    return { dir: this.options.dir, schedule, lastBackupAt: last, nextBackupAt: next, backups }
  }

  /** Newest first. */
  list(): BackupInfo[] {
    // The folder is made by the first backup or schedule change: a console that never backs up has none.
    if (!existsSync(this.options.dir)) return []
    return readdirSync(this.options.dir)
      .filter((name) => NAME.test(name))
      .map((name) => this.info(name))
      .filter((info): info is BackupInfo => info !== undefined)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))
  }

  /** A backup now; one at a time (a second call while one runs gets the same one). */
  create(kind: BackupInfo['kind'] = 'manual'): Promise<BackupInfo> {
    this.running ??= this.write(kind).finally(() => (this.running = undefined))
    return this.running
  }

  schedule(): BackupSchedule {
    try {
      const saved = JSON.parse(readFileSync(join(this.options.dir, SCHEDULE_FILE), 'utf8')) as Partial<BackupSchedule>
      return { ...DEFAULT_BACKUP_SCHEDULE, ...pickSchedule(saved) }
    } catch {
      return { ...DEFAULT_BACKUP_SCHEDULE }
    }
  }

  updateSchedule(update: BackupScheduleUpdate): BackupsView {
    const next = { ...this.schedule(), ...pickSchedule(update) }
    mkdirSync(this.options.dir, { recursive: true, mode: 0o700 })
    writeFileSync(join(this.options.dir, SCHEDULE_FILE), `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 })
    if (this.timer) this.startSchedule()
    return this.view()
  }

  /**
   * Checks every hour (unref'd) whether a scheduled backup is due, the first time a minute after start, so a
   * backup never competes with opening the console.
   */
  startSchedule(checkEveryMs = 3_600_000, firstCheckMs = 60_000): void {
    this.stopSchedule()
    const tick = (): void => {
      void this.runIfDue().catch((error: unknown) =>
        (this.options.onError ?? ((e) => console.error(`[backups] scheduled backup failed: ${String(e)}`)))(error),
      )
    }
    this.firstCheckAt = new Date(this.now().getTime() + firstCheckMs)
    this.first = setTimeout(tick, firstCheckMs)
    this.first.unref()
    this.timer = setInterval(tick, checkEveryMs)
    this.timer.unref()
  }

  /** Resolves when a backup being written has ended (for closing the core before its database). */
  async settle(): Promise<void> {
    await this.running?.catch(() => undefined)
  }

  stopSchedule(): void {
    if (this.timer) clearInterval(this.timer)
    if (this.first) clearTimeout(this.first)
    this.timer = undefined
    this.first = undefined
  }

  /** Makes the scheduled backup when it is due, then keeps only the newest `keep` scheduled ones. */
  async runIfDue(): Promise<BackupInfo | undefined> {
    const schedule = this.schedule()
    if (!schedule.enabled) return undefined
    const lastScheduled = this.list().find((b) => b.kind === 'scheduled')?.createdAt ?? null
    if (this.nextDue(lastScheduled, schedule).getTime() > this.now().getTime()) return undefined
    const made = await this.create('scheduled')
    this.prune(schedule.keep)
    return made
  }

  /** Verifies a backup and compares it with the live database, for the confirmation before a restore. */
  check(id: string): BackupCheck {
    const backup = this.require(id)
    const current = this.options.source.counts()
    const verdict = verifyDatabase(backup.file, this.options.nativeBinding)
    return { backup, current, ...verdict }
  }

  /** Verifies the backup, then leaves a marker: the restore is applied at the next start (applyPendingRestore). */
  restore(id: string): RestoreResult {
    const checked = this.check(id)
    if (!checked.ok) throw new StoreInputError(`Backup ${id} cannot be restored: ${checked.problem}. Nothing was changed.`)
    const keptAs = keptAsideName(this.options.source.file, this.now())
    writeFileSync(
      join(this.options.dir, RESTORE_MARKER),
      `${JSON.stringify({ backup: checked.backup.file, keptAs, at: this.now().toISOString() }, null, 2)}\n`,
      { mode: 0o600 },
    )
    return { restored: checked.backup, keptAs, restartRequired: true }
  }

  private async write(kind: BackupInfo['kind']): Promise<BackupInfo> {
    const stamp = this.now().toISOString().replace(/[:.]/g, '-')
    let name = `transcripts-${stamp}-${kind}.db`
    mkdirSync(this.options.dir, { recursive: true, mode: 0o700 })
    for (let n = 2; existsSync(join(this.options.dir, name)); n++) name = `transcripts-${stamp}-${kind}-${n}.db`
    const target = join(this.options.dir, name)
    const partial = `${target}.partial`
    try {
      await this.options.source.backupTo(partial)
      // SQLite creates the copy with the process's default mode (0644 under the usual umask): a backup holds every
      // transcript, so it is made as private as the data folder before it takes its name.
      chmodSync(partial, PRIVATE_FILE_MODE)
      renameSync(partial, target)
    } catch (error) {
      rmSync(partial, { force: true })
      throw error
    }
    return this.info(name) as BackupInfo
  }

  private prune(keep: number): void {
    for (const old of this.list()
      .filter((b) => b.kind === 'scheduled')
      .slice(keep))
      rmSync(old.file, { force: true })
  }

  private nextDue(lastScheduled: string | null, schedule: BackupSchedule): Date {
    if (lastScheduled === null) return this.now()
    return new Date(Date.parse(lastScheduled) + schedule.intervalHours * 3_600_000)
  }

  private require(id: string): BackupInfo {
    const info = NAME.test(id) ? this.info(id) : undefined
    if (!info) throw new BackupNotFound(`There is no backup ${id}.`)
    return info
  }

  private info(name: string): BackupInfo | undefined {
    const match = NAME.exec(name)
    const file = join(this.options.dir, name)
    if (!match || !existsSync(file)) return undefined
    // The name holds the time with ':' and '.' made file-safe: 2026-01-02T03-04-05-678Z.
    const createdAt = (match[1] as string).replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, '$1:$2:$3.$4Z')
    return { id: name, file, sizeBytes: statSync(file).size, createdAt, kind: match[2] as BackupInfo['kind'] }
  }
}

export class BackupNotFound extends Error {
  override readonly name = 'BackupNotFound'
}

/** integrity_check, our application id, a schema version this build can open, and what the file holds. */
export function verifyDatabase(file: string, nativeBinding?: string): Pick<BackupCheck, 'ok' | 'problem' | 'schemaVersion' | 'contents'> {
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok')
      return { ok: false, problem: `the file is damaged (integrity_check: ${String(integrity)})`, schemaVersion: null, contents: null }
    if (db.pragma('application_id', { simple: true }) !== APPLICATION_ID) {
      return { ok: false, problem: 'the file is not a Support Console transcript database', schemaVersion: null, contents: null }
    }
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    if (schemaVersion > LATEST_VERSION) {
      return {
        ok: false,
        problem: `it was written by a newer Support Console (schema ${schemaVersion}; this one knows up to ${LATEST_VERSION})`,
        schemaVersion,
        contents: null,
      }
    }
    return { ok: true, problem: null, schemaVersion, contents: archiveCounts(db) }
  } catch (error) {
    return {
      ok: false,
      problem: `the file cannot be read as a database (${error instanceof Error ? error.message : String(error)})`,
      schemaVersion: null,
      contents: null,
    }
  } finally {
    db?.close()
  }
}

export function archiveCounts(db: Database.Database): ArchiveCounts {
  const row = db
    .prepare(
      'SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages, (SELECT max(updated_at) FROM conversations) AS last',
    )
    .get() as { conversations: number; messages: number; last: string | null }
  return { conversations: row.conversations, messages: row.messages, lastActivityAt: row.last }
}

/**
 * Applies a restore left by Backups.restore(): called before the store opens. The current database (and its WAL
 * and shared-memory files) is renamed to the name the marker promised, the backup is copied in, and the marker
 * removed. Answers what it did, or null when there was nothing to do. A backup gone missing leaves everything as
 * it was, and the marker is removed so the next start does not try again.
 */
export function applyPendingRestore(databaseFile: string, backupsDir: string): { restored: string; keptAs: string } | null {
  const markerFile = join(backupsDir, RESTORE_MARKER)
  if (!existsSync(markerFile)) return null
  let marker: { backup?: unknown; keptAs?: unknown }
  try {
    marker = JSON.parse(readFileSync(markerFile, 'utf8')) as typeof marker
  } catch {
    rmSync(markerFile, { force: true })
    return null
  }
  rmSync(markerFile, { force: true })
  if (typeof marker.backup !== 'string' || typeof marker.keptAs !== 'string' || !existsSync(marker.backup)) return null
  let keptAs = marker.keptAs
  for (let n = 2; existsSync(keptAs); n++) keptAs = `${marker.keptAs}-${n}`
  if (existsSync(databaseFile)) {
    renameSync(databaseFile, keptAs)
    for (const suffix of ['-wal', '-shm']) if (existsSync(databaseFile + suffix)) renameSync(databaseFile + suffix, keptAs + suffix)
  }
  copyFileSync(marker.backup, databaseFile)
  // copyFile carries the backup's mode over: a backup made before backups were private would otherwise leave the
  // database readable by others.
  chmodSync(databaseFile, PRIVATE_FILE_MODE)
  return { restored: marker.backup, keptAs }
}

function keptAsideName(databaseFile: string, now: Date): string {
  return join(databaseFile, '..', `${basename(databaseFile)}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`)
}

function pickSchedule(value: Partial<BackupSchedule>): Partial<BackupSchedule> {
  const picked: Partial<BackupSchedule> = {}
  if (typeof value.enabled === 'boolean') picked.enabled = value.enabled
  if (Number.isInteger(value.intervalHours) && (value.intervalHours as number) >= 1 && (value.intervalHours as number) <= 720)
    picked.intervalHours = value.intervalHours as number
  if (Number.isInteger(value.keep) && (value.keep as number) >= 1 && (value.keep as number) <= 100) picked.keep = value.keep as number
  return picked
}
