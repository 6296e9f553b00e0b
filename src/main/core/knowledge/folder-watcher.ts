// Follows the knowledge-base folder with chokidar (inotify, FSEvents or ReadDirectoryChangesW underneath) and
// reports what changed in batches. Events are gathered for a short quiet period because editors and copies
// produce bursts (a save is often write + rename, a rename is unlink + add), and a batch lets the indexer see
// the added path while the old one is still indexed, so a renamed file keeps its passages instead of being
// read again. chokidar waits until a file stops growing before reporting it, so half-copied files are not read.
import { type Stats } from 'node:fs'
import { watch } from 'chokidar'
import { formatOf } from './blocks'
import { isHiddenPath, toRelative } from './paths'

export type FolderChange = { kind: 'upsert' | 'remove' | 'remove-folder'; path: string }

export interface FolderWatcherOptions {
  /** Receives each batch, in the order the paths first changed; paths are relative, with forward slashes. */
  onChanges: (changes: FolderChange[]) => void
  onError: (error: Error) => void
  /** Quiet time before a batch is reported (default 150 ms). */
  debounceMs?: number
  /** How long a file's size must hold still before it is reported (default 200 ms). */
  stableMs?: number
}

export interface FolderWatcher {
  /** Resolves once the watcher follows the whole folder: changes made from then on are reported. */
  ready: Promise<void>
  close(): Promise<void>
}

// A burst that never pauses is still reported this often.
const MAX_BATCH_DELAY_MS = 1000

export function watchFolder(folder: string, options: FolderWatcherOptions): FolderWatcher {
  const debounceMs = options.debounceMs ?? 150
  const stableMs = options.stableMs ?? 200
  const pending = new Map<string, FolderChange>()
  let timer: NodeJS.Timeout | undefined
  let firstPendingAt = 0
  let closed = false

  const flush = (): void => {
    timer = undefined
    if (closed || pending.size === 0) return
    const changes = [...pending.values()]
    pending.clear()
    options.onChanges(changes)
  }
  const note = (kind: FolderChange['kind'], absolute: string): void => {
    const path = toRelative(folder, absolute)
    if (path === '' || path.startsWith('..') || isHiddenPath(path)) return
    if (kind !== 'remove-folder' && !formatOf(path)) return
    // The latest event for a path is what holds now.
    pending.delete(path)
    pending.set(path, { kind, path })
    const now = Date.now()
    if (timer === undefined) firstPendingAt = now
    else clearTimeout(timer)
    timer = setTimeout(flush, now - firstPendingAt >= MAX_BATCH_DELAY_MS ? 0 : debounceMs)
  }

  const ignored = (absolute: string, stats?: Stats): boolean => {
    const path = toRelative(folder, absolute)
    if (path === '' || path.startsWith('..')) return false
    if (isHiddenPath(path)) return true
    // Without stats chokidar does not yet know whether this is a folder; folders must be followed into.
    return stats?.isFile() === true && !formatOf(path)
  }

  const watcher = watch(folder, {
    ignoreInitial: true, // the start-up scan indexes what is already there
    followSymlinks: false,
    ignored,
    awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: Math.max(25, Math.floor(stableMs / 4)) },
  })
  watcher.on('add', (path) => note('upsert', path))
  watcher.on('change', (path) => note('upsert', path))
  watcher.on('unlink', (path) => note('remove', path))
  watcher.on('unlinkDir', (path) => note('remove-folder', path))
  watcher.on('error', (error) => options.onError(error instanceof Error ? error : new Error(String(error))))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))

  return {
    ready,
    async close() {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      await watcher.close()
    },
  }
}
