// One Support Console per data folder. Two processes writing one database would each take the other's live
// drafts for crashed ones (start-up marks `streaming` rows `interrupted`), so the second is refused clearly.
//
// The lock is SQLite's own file lock on an empty database, `support-console.lock`, taken by an exclusive
// transaction that stays open for the life of the process. The kernel drops it the moment the process ends,
// however it ends (crash, SIGKILL, a container stopped), so nothing is ever left to clean up; there is no pid
// to check (a pid can be recycled) and no moment between creating the file and saying who owns it. Nothing is
// ever written: the file stays empty, and it is never deleted, because a process that had just opened it
// could then lock a deleted file while a third one creates and locks a new one.
import { closeSync, ftruncateSync, mkdirSync, openSync, readSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

export const LOCK_FILE = 'support-console.lock'

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

export interface DataDirLock {
  release(): void
}

export interface DataDirLockOptions {
  /** better-sqlite3's compiled addon to load, when the default one is built for another runtime (Electron). */
  nativeBinding?: string
}

// Lock files this process holds. POSIX file locks belong to the process, and closing any descriptor of the
// file drops all of them, so this process must not open a file it holds again (SQLite guards its own opens).
const heldHere = new Set<string>()

// What the pid-file lock of earlier versions left: a few digits. Anything else is not ours to erase.
const OLD_PID_FILE = /^\s*\d{0,10}\s*$/
const OLD_PID_FILE_MAX_BYTES = 32
const CONTENTION_WAIT_MS = 100

export function lockDataDir(dataDir: string, options: DataDirLockOptions = {}): DataDirLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, LOCK_FILE)
  // The same folder by another spelling (a symlink, a relative path) is the same lock.
  const key = join(realpathSync(dataDir), LOCK_FILE)
  if (heldHere.has(key)) throw new DataDirLockedError(`The data folder ${dataDir} is already open in this process.`)

  let outcome = tryLock(file, options)
  if (outcome === 'not-a-database') {
    clearOldPidFile(file)
    outcome = tryLock(file, options)
  }
  if (outcome === 'busy') {
    throw new DataDirLockedError(
      `Another Support Console is using the data folder ${dataDir}. Close it, or set SUPPORT_CONSOLE_DATA_DIR to another folder. ` +
        `Its lock on ${file} ends by itself when that process exits, even after a crash; do not delete the file.`,
    )
  }
  if (outcome === 'not-a-database') {
    throw new DataDirLockedError(`${file} is not a Support Console lock file. Move it out of the data folder, then start again.`)
  }

  const db = outcome
  heldHere.add(key)
  let held = true
  return {
    release: () => {
      if (!held) return
      held = false
      heldHere.delete(key)
      // Closing rolls back the empty transaction and drops the lock; the file stays (see the top).
      db.close()
    },
  }
}

function tryLock(file: string, { nativeBinding }: DataDirLockOptions): Database.Database | 'busy' | 'not-a-database' {
  let db: Database.Database
  try {
    // SQLITE_BUSY also comes from a process that is only passing through a lock on its own way to trying,
    // and with no wait at all two processes starting together can each make the other give up. A short
    // wait lets one of them through; a real holder keeps the lock for good, so the answer then is "in use".
    db = new Database(file, { timeout: CONTENTION_WAIT_MS, ...(nativeBinding ? { nativeBinding } : {}) })
  } catch (error) {
    throw new Error(`Could not open the data folder lock ${file}: ${describe(error)}`, { cause: error })
  }
  try {
    // The journal in memory: a killed holder leaves no -journal file beside the lock.
    db.pragma('journal_mode = MEMORY')
    db.exec('BEGIN EXCLUSIVE')
    return db
  } catch (error) {
    db.close()
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return 'busy'
    if (code === 'SQLITE_NOTADB') return 'not-a-database'
    throw new Error(`Could not lock the data folder through ${file}: ${describe(error)}`, { cause: error })
  }
}

/**
 * Empties a pid file left by an earlier version, in place. Truncating is safe against a racing process: a
 * holder's lock file is always empty (nothing is ever written), and the lock is on the file, not its content.
 */
function clearOldPidFile(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    const head = Buffer.alloc(OLD_PID_FILE_MAX_BYTES + 1)
    const length = readSync(fd, head, 0, head.length, 0)
    if (length <= OLD_PID_FILE_MAX_BYTES && OLD_PID_FILE.test(head.toString('latin1', 0, length))) ftruncateSync(fd, 0)
  } finally {
    closeSync(fd)
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
