// One Support Console per data folder. Two processes writing one database would each take the other's live
// drafts for crashed ones (start-up marks `streaming` rows `interrupted`), so the second is refused clearly.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export const LOCK_FILE = 'support-console.lock'

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

export interface DataDirLock {
  release(): void
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      let held = true
      return {
        release: () => {
          if (held) rmSync(file, { force: true })
          held = false
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(file, 'utf8').trim())
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
        throw new DataDirLockedError(
          `Another Support Console (process ${owner}) is using ${dataDir}. Close it, or set SUPPORT_CONSOLE_DATA_DIR to another folder.`,
        )
      }
      if (owner === process.pid) {
        throw new DataDirLockedError(`${dataDir} is already open in this process.`)
      }
      // Left behind by a process that has gone: take it over.
      rmSync(file, { force: true })
    }
  }
  throw new DataDirLockedError(`Could not lock ${dataDir}; another Support Console may be starting.`)
}
