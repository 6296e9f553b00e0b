// When SQLite cannot write the transcript file: the disk is full, the folder or filesystem became read-only,
// or the device fails. These are not bugs and not bad input: the text is kept in memory and retried.
import type { DraftError } from '../../../shared/domain'

// better-sqlite3's SqliteError carries SQLite's extended code name, e.g. SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED.
const STORAGE_CODE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN)(_|$)/

/** SQLite's code when `error` says the database file cannot be written; undefined for anything else. */
export function storageFailureCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && STORAGE_CODE.test(code) ? code : undefined
}

/** What went wrong, in words: "the disk is full" or "the data folder cannot be written to". */
export function describeStorageFailure(code: string): string {
  return code.startsWith('SQLITE_FULL') ? 'the disk is full' : `the data folder cannot be written to (${code})`
}

/** Thrown by finishDraft when the result could not be written now; the store keeps it and writes it later. */
export class StorageFailureError extends Error {
  override readonly name = 'StorageFailureError'
  constructor(
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`Support Console could not save to its database: ${describeStorageFailure(code)}.`, options)
  }
}

/**
 * The draft error an agent and SSE clients see. True by construction: the store keeps the text and retries until
 * it is written, and if Support Console closes first it writes the text to a recovery file in the data folder.
 */
export function storageDraftError(code: string): DraftError {
  const fix = code.startsWith('SQLITE_FULL') ? 'free some disk space' : 'make the data folder writable again'
  return {
    kind: 'storage',
    retryable: true,
    message:
      `This draft could not be saved: ${describeStorageFailure(code)}. The text is kept in memory and will be saved ` +
      `as soon as writing works again (${fix}); if Support Console closes first, it is written to a recovery file.`,
  }
}
