// Opening the SQLite file safely: refuse what we do not understand, back up before changing the
// schema, then turn on the settings every connection needs.
//
// Order matters. Everything up to the version check only reads, so a refused file is left exactly as
// it was: no WAL switch, no migration, no "fresh" database written over someone's history.
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { StoreOpenError } from './errors'
import { APPLICATION_ID, LATEST_VERSION, migrate, schemaVersion } from './migrations'

const BUSY_TIMEOUT_MS = 5000
const NOTHING_CHANGED = 'Nothing was changed in the file.'

export interface OpenedDatabase {
  db: Database.Database
  /** The version the file had before this open (0 for a new database). */
  previousVersion: number
  /** The copy written before migrating, or null when no migration of existing data was needed. */
  backupFile: string | null
}

/** `nativeBinding`: better-sqlite3's compiled addon to load, when the default one is built for another runtime (Electron). */
export function openDatabase(file: string, now: () => Date, nativeBinding?: string): OpenedDatabase {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  if (existsSync(file) && !statSync(file).isFile()) {
    throw new StoreOpenError('unreadable', file, `The transcript database ${file} is not a file. ${NOTHING_CHANGED}`)
  }

  // A new database is created readable by this user only (its -wal and -shm files take the same mode): it holds
  // every transcript. An empty file is a valid empty SQLite database.
  if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600))
  let db: Database.Database
  try {
    db = new Database(file, nativeBinding ? { nativeBinding } : {})
  } catch (error) {
    throw new StoreOpenError('unreadable', file, `The transcript database ${file} could not be opened: ${describe(error)}. ${NOTHING_CHANGED}`, {
      cause: error,
    })
  }

  try {
    // Waiting for a lock is not a write; everything else that writes comes after the checks.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    const previousVersion = inspect(db, file)
    const backupFile = previousVersion > 0 && previousVersion < LATEST_VERSION ? backup(db, file, previousVersion, now) : null
    // Migrate before switching the journal mode, so a failed migration really leaves the file as it was.
    applyMigrations(db, file, previousVersion, backupFile)
    configure(db, file)
    return { db, previousVersion, backupFile }
  } catch (error) {
    db.close()
    throw error
  }
}

/** Reads the header and schema; only reads. Returns the schema version. */
function inspect(db: Database.Database, file: string): number {
  let version: number
  let applicationId: number
  let objects: number
  try {
    // Reading the schema is what makes SQLite parse the header: garbage fails here with SQLITE_NOTADB.
    objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n
    version = schemaVersion(db)
    applicationId = db.pragma('application_id', { simple: true }) as number
  } catch (error) {
    const what =
      sqliteCode(error) === 'SQLITE_NOTADB'
        ? 'is not a SQLite database (it may be damaged, encrypted or a different kind of file)'
        : sqliteCode(error) === 'SQLITE_CORRUPT'
          ? 'is damaged'
          : `could not be read (${describe(error)})`
    throw new StoreOpenError(
      'unreadable',
      file,
      `The transcript database ${file} ${what}. ${NOTHING_CHANGED} Move it aside or restore a backup to continue.`,
      { cause: error },
    )
  }

  // Ours carry the application id from migration 1, set in the same transaction as version 1, so
  // anything else must be a brand-new empty file before we may touch it.
  const isNew = applicationId === 0 && version === 0 && objects === 0
  if (applicationId !== APPLICATION_ID && !isNew) {
    throw new StoreOpenError(
      'unreadable',
      file,
      `The file ${file} is a SQLite database, but not a Support Console transcript database. ${NOTHING_CHANGED}`,
    )
  }
  if (version > LATEST_VERSION) {
    throw new StoreOpenError(
      'newer-version',
      file,
      `The transcript database ${file} was written by a newer version of Support Console (schema version ${version}; this version knows up to ${LATEST_VERSION}). ${NOTHING_CHANGED} Update Support Console to open it.`,
    )
  }
  return version
}

/** VACUUM INTO writes a consistent, compact copy (including anything still in the WAL) without touching the source. */
function backup(db: Database.Database, file: string, version: number, now: () => Date): string {
  const stamp = now().toISOString().replace(/[:.]/g, '-')
  let target = `${file}.backup-v${version}-${stamp}`
  // VACUUM INTO refuses to overwrite; two opens in the same millisecond get distinct names.
  for (let n = 2; existsSync(target); n++) target = `${file}.backup-v${version}-${stamp}-${n}`
  try {
    db.prepare('VACUUM INTO ?').run(target)
  } catch (error) {
    throw new StoreOpenError(
      'migration-failed',
      file,
      `Could not write a backup of ${file} to ${target} before upgrading it (${describe(error)}). ${NOTHING_CHANGED}`,
      { cause: error },
    )
  }
  return target
}

/**
 * Runs one write with synchronous=FULL: its commit is fsynced, and in WAL mode that also makes every earlier
 * NORMAL commit durable. The setting is per connection and cannot change inside a transaction, so it is set
 * around the call and put back after.
 */
export function durably<T>(db: Database.Database, write: () => T): T {
  db.pragma('synchronous = FULL')
  try {
    return write()
  } finally {
    db.pragma('synchronous = NORMAL')
  }
}

function configure(db: Database.Database, file: string): void {
  try {
    // WAL: readers (a second window, the HTTP server, a backup) never block the writer and vice versa.
    const mode = db.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') throw new Error(`journal mode stayed ${String(mode)}`)
    // NORMAL is durable across application crashes in WAL mode; only a power cut can lose the last commits.
    // Drafts are re-creatable, so their frequent flushes skip the fsync; people's messages use durably().
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
  } catch (error) {
    throw new StoreOpenError('unreadable', file, `The transcript database ${file} could not be opened for writing (${describe(error)}).`, {
      cause: error,
    })
  }
}

function applyMigrations(db: Database.Database, file: string, from: number, backupFile: string | null): void {
  try {
    migrate(db)
  } catch (error) {
    const at = schemaVersion(db)
    const kept = at === from ? NOTHING_CHANGED : `The database was left at schema version ${at}; each step is all-or-nothing.`
    const copy = backupFile ? ` A copy from before the upgrade is at ${backupFile}.` : ''
    throw new StoreOpenError(
      'migration-failed',
      file,
      `Upgrading the transcript database ${file} from schema version ${from} to ${LATEST_VERSION} failed (${describe(error)}). ${kept}${copy}`,
      { cause: error },
    )
  }
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
