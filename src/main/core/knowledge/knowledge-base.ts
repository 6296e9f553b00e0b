// The knowledge base as the rest of the core sees it: a folder of documents kept indexed in knowledge.db, and
// retrieval over it. start() catches up with what changed while the console was closed (a full scan) and then
// follows the folder; every change to the index goes through one queue, so the scan, watcher batches and
// rescans never interleave. Retrieval reads the index directly and always answers from what is indexed so far.
import type { Dispose } from '../../../shared/api'
import type { FolderChange, FolderWatcher } from './folder-watcher'
import { watchFolder } from './folder-watcher'
import { Indexer, type IndexProgress, type ScanSummary } from './indexer'
import { type DocumentRecord, KnowledgeIndex, type StoredPassage } from './knowledge-index'
import { DEFAULT_TUNING, retrieve, type RetrievalTuning, type RetrievalTurn, type RetrievedPassage, type RetrieveOptions } from './retrieve'

export interface KnowledgeBaseOptions {
  /** Absolute path of the documents' folder. */
  folder: string
  /** The index file, e.g. `<dataDir>/knowledge.db`: derived data, kept apart from the transcripts. */
  databaseFile: string
  /** better-sqlite3's compiled addon for Electron (as for the transcript store). */
  nativeBinding?: string
  /** Follow the folder after the start-up scan (default true). */
  watch?: boolean
  maxFileBytes?: number
  /** How a file's bytes are read (tests count reads). */
  readBytes?: (absolutePath: string) => Promise<Uint8Array>
  now?: () => Date
  /** Porter stemming in the index (default true; off only to measure it). */
  stemming?: boolean
  /** Retrieval knobs (the bench's ablations); the defaults are the measured best. */
  tuning?: RetrievalTuning
  /** Watcher timings; the defaults suit people editing files. */
  watcher?: { debounceMs?: number; stableMs?: number }
}

export interface KnowledgeBaseStatus {
  folder: string
  documents: number
  passages: number
  /** Documents listed with an error (unreadable, too large...). */
  errors: number
  /** The scan or batch of changes being indexed, or null when idle. */
  indexing: IndexProgress | null
  /** Whether changes to the folder are being followed. */
  watching: boolean
  /** Why the folder cannot be indexed or followed; null when it can. */
  error: string | null
  lastScan: ScanSummary | null
}

export class KnowledgeBase {
  readonly folder: string
  private readonly index: KnowledgeIndex
  private readonly indexer: Indexer
  private readonly tuning: RetrievalTuning
  private readonly options: KnowledgeBaseOptions
  private queue: Promise<unknown> = Promise.resolve()
  private watcher: FolderWatcher | undefined
  private progress: IndexProgress | null = null
  private error: string | null = null
  private lastScan: ScanSummary | null = null
  private closed = false
  private readonly progressListeners = new Set<(progress: IndexProgress) => void>()
  private readonly changeListeners = new Set<() => void>()

  constructor(options: KnowledgeBaseOptions) {
    this.options = options
    this.folder = options.folder
    this.tuning = options.tuning ?? DEFAULT_TUNING
    this.index = new KnowledgeIndex(options.databaseFile, options.folder, { nativeBinding: options.nativeBinding, stemming: options.stemming })
    this.indexer = new Indexer({
      folder: options.folder,
      index: this.index,
      maxFileBytes: options.maxFileBytes,
      readBytes: options.readBytes,
      now: options.now,
    })
  }

  /** Scans the folder and starts following it; resolves when the scan is done and the watcher is ready. */
  async start(): Promise<ScanSummary> {
    return this.rescan()
  }

  /**
   * A full scan, queued behind any work in progress. Starts the watcher first when it is not running (at start-up,
   * or when a missing folder has appeared), so nothing changed during the scan goes unnoticed.
   */
  async rescan(): Promise<ScanSummary> {
    return this.enqueue(async () => {
      const summary = await this.indexer.scan((progress) => this.reportProgress(progress))
      this.lastScan = summary
      this.error = summary.error
      this.finishProgress()
      if (summary.error === null && this.options.watch !== false && !this.watcher && !this.closed) await this.startWatcher()
      return summary
    })
  }

  retrieve(input: string | readonly RetrievalTurn[], options: RetrieveOptions = {}): RetrievedPassage[] {
    return retrieve(this.index, input, options, this.tuning)
  }

  documents(): DocumentRecord[] {
    return this.index.documents()
  }

  document(path: string): DocumentRecord | undefined {
    return this.index.document(path)
  }

  passage(id: number): StoredPassage | undefined {
    return this.index.passage(id)
  }

  /** The passages of one document in order, to show a passage in its context. */
  passagesOf(path: string): StoredPassage[] {
    return this.index.passagesOf(path)
  }

  status(): KnowledgeBaseStatus {
    const counts = this.index.counts()
    return {
      folder: this.folder,
      ...counts,
      indexing: this.progress,
      watching: this.watcher !== undefined,
      error: this.error,
      lastScan: this.lastScan,
    }
  }

  /** Called as files are indexed (done of total); the UI shows it as progress. */
  onProgress(listener: (progress: IndexProgress) => void): Dispose {
    this.progressListeners.add(listener)
    return () => this.progressListeners.delete(listener)
  }

  /** Called whenever a scan or a batch of folder changes has been indexed. */
  onChange(listener: () => void): Dispose {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  /** Resolves once the work queued so far (scans, folder changes) is done. */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined)
  }

  /** Stops following the folder, lets the current work finish, and closes the index. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const watcher = this.watcher
    this.watcher = undefined
    await watcher?.close()
    await this.idle()
    this.index.close()
    this.progressListeners.clear()
    this.changeListeners.clear()
  }

  private async startWatcher(): Promise<void> {
    const watcher = watchFolder(this.folder, {
      onChanges: (changes) => void this.enqueue(() => this.applyChanges(changes)).catch((error: unknown) => this.fail(error)),
      onError: (error) => this.fail(error),
      ...this.options.watcher,
    })
    this.watcher = watcher
    await watcher.ready
  }

  private async applyChanges(changes: readonly FolderChange[]): Promise<void> {
    if (this.closed) return
    // Additions first: a renamed file's new path is indexed while its old entry still exists, so its passages move.
    const ordered = [...changes.filter((c) => c.kind === 'upsert'), ...changes.filter((c) => c.kind !== 'upsert')]
    let done = 0
    this.reportProgress({ done, total: ordered.length, path: null })
    for (const change of ordered) {
      if (change.kind === 'upsert') await this.indexer.indexFile(change.path)
      else if (change.kind === 'remove') this.indexer.removeFile(change.path)
      else this.indexer.removeFolder(change.path)
      this.reportProgress({ done: ++done, total: ordered.length, path: change.path })
    }
    this.finishProgress()
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The knowledge base is closed.'))
    const run = this.queue.catch(() => undefined).then(task)
    this.queue = run
    return run
  }

  private reportProgress(progress: IndexProgress): void {
    this.progress = progress
    for (const listener of this.progressListeners) {
      try {
        listener(progress)
      } catch {
        // A listener's failure (a closed window) must not stop indexing.
      }
    }
  }

  private finishProgress(): void {
    this.progress = null
    for (const listener of this.changeListeners) {
      try {
        listener()
      } catch {
        // As above.
      }
    }
  }

  private fail(error: unknown): void {
    this.error = `Following the folder failed: ${error instanceof Error ? error.message : String(error)}`
  }
}
