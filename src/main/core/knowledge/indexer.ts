// Brings the index in line with the folder, one file or the whole folder at a time. A file is read only when
// it may have changed: same size and modification time as indexed means unchanged; otherwise its bytes are
// hashed, and the same hash means only the times changed (a `touch`, a copy that kept its content) or, for a
// path not yet indexed, that an indexed file was renamed, whose passages then move with it. A file that cannot
// be read is stored with the reason and indexing goes on with the next one.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { lstat, readdir, readFile } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { formatOf } from './blocks'
import { extractDocument, UnreadableDocumentError } from './extract'
import type { DocumentRecord, KnowledgeIndex } from './knowledge-index'
import { splitPassages } from './passages'
import { isHiddenPath, toRelative } from './paths'

/** Files larger than this are listed with a reason instead of being read. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024

export interface IndexProgress {
  /** Files looked at so far in this scan (unchanged ones included). */
  done: number
  total: number
  /** The file just looked at, relative to the folder; null before the first. */
  path: string | null
}

export type FileOutcome = 'indexed' | 'unchanged' | 'touched' | 'renamed' | 'failed' | 'removed' | 'absent'

export interface ScanSummary {
  files: number
  indexed: number
  unchanged: number
  failed: number
  removed: number
  /** Why the folder itself could not be scanned (missing, not a folder); null when it was. */
  error: string | null
}

export interface IndexerOptions {
  /** Absolute path of the knowledge-base folder. */
  folder: string
  index: KnowledgeIndex
  maxFileBytes?: number
  /** How a file's bytes are read; tests count the reads through it. */
  readBytes?: (absolutePath: string) => Promise<Uint8Array>
  now?: () => Date
}

interface FileStat {
  size: number
  mtimeMs: number
}

function readError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'ENOENT') return 'the file disappeared while it was read'
  if (code === 'EISDIR') return 'not a file'
  return `could not be read (${error instanceof Error ? error.message : String(error)})`
}

const megabytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`

export class Indexer {
  readonly folder: string
  private readonly index: KnowledgeIndex
  private readonly maxFileBytes: number
  private readonly readBytes: (absolutePath: string) => Promise<Uint8Array>
  private readonly now: () => Date

  constructor(options: IndexerOptions) {
    this.folder = options.folder
    this.index = options.index
    this.maxFileBytes = options.maxFileBytes ?? MAX_FILE_BYTES
    this.readBytes = options.readBytes ?? ((path) => readFile(path))
    this.now = options.now ?? (() => new Date())
  }

  /** Every supported file under the folder (subfolders included, hidden entries and symbolic links left out). */
  async listFiles(): Promise<Map<string, FileStat>> {
    const files = new Map<string, FileStat>()
    const walk = async (dir: string): Promise<void> => {
      let entries
      try {
        entries = await readdir(dir, { withFileTypes: true })
      } catch (error) {
        // The folder itself must be readable; a subfolder that is not is skipped like an empty one.
        if (dir === this.folder) throw error
        return
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue
        const path = join(dir, entry.name)
        // Links are not followed: they could lead out of the folder, or around in a loop.
        if (entry.isDirectory()) await walk(path)
        else if (entry.isFile() && formatOf(entry.name)) {
          const stat = await lstat(path).catch(() => undefined)
          if (stat) files.set(toRelative(this.folder, path), { size: stat.size, mtimeMs: stat.mtimeMs })
        }
      }
    }
    await walk(this.folder)
    return files
  }

  /** A full pass over the folder: new and changed files indexed, unchanged ones skipped, vanished ones removed. */
  async scan(onProgress?: (progress: IndexProgress) => void): Promise<ScanSummary> {
    const summary: ScanSummary = { files: 0, indexed: 0, unchanged: 0, failed: 0, removed: 0, error: null }
    let files: Map<string, FileStat>
    try {
      const stat = await lstat(this.folder)
      if (!stat.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
      files = await this.listFiles()
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code
      summary.error =
        code === 'ENOENT'
          ? `The folder ${this.folder} does not exist.`
          : code === 'ENOTDIR'
            ? `${this.folder} is not a folder.`
            : `The folder ${this.folder} ${readError(error)}.`
      // The index mirrors the folder: with no folder there is nothing to draft from.
      for (const document of this.index.documents()) if (this.index.removeDocument(document.path)) summary.removed++
      onProgress?.({ done: 0, total: 0, path: null })
      return summary
    }

    summary.files = files.size
    const total = files.size
    let done = 0
    onProgress?.({ done, total, path: null })
    for (const [path, stat] of files) {
      const outcome = await this.indexFile(path, stat)
      if (outcome === 'indexed' || outcome === 'renamed') summary.indexed++
      else if (outcome === 'unchanged' || outcome === 'touched') summary.unchanged++
      else if (outcome === 'failed') summary.failed++
      onProgress?.({ done: ++done, total, path })
    }
    for (const document of this.index.documents()) {
      if (!files.has(document.path) && this.index.removeDocument(document.path)) summary.removed++
    }
    return summary
  }

  /**
   * Brings one file's entry up to date: `path` is relative to the folder. `known` is its size and time when the
   * caller has just listed it; otherwise the file is looked at here, and a file that is gone is removed.
   */
  async indexFile(path: string, known?: FileStat): Promise<FileOutcome> {
    const format = formatOf(path)
    const absolute = join(this.folder, path)
    if (!format || isHiddenPath(path)) return 'absent'
    let stat = known
    if (!stat) {
      const found = await lstat(absolute).catch(() => undefined)
      if (!found?.isFile()) return this.removeFile(path)
      stat = { size: found.size, mtimeMs: found.mtimeMs }
    }

    const existing = this.index.document(path)
    // Only a document whose bytes were read can be judged unchanged by its times; one that failed is retried.
    if (existing?.sha256 && existing.size === stat.size && existing.mtimeMs === stat.mtimeMs) return 'unchanged'

    const fallbackTitle = basename(path, extname(path))
    const record = (fields: Partial<DocumentRecord>): Omit<DocumentRecord, 'passageCount'> => ({
      path,
      format,
      title: fallbackTitle,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      sha256: null,
      indexedAt: this.now().toISOString(),
      error: null,
      ...fields,
    })

    if (stat.size > this.maxFileBytes) {
      this.index.putDocument(record({ error: `too large (${megabytes(stat.size)}; the limit is ${megabytes(this.maxFileBytes)})` }), [])
      return 'failed'
    }
    let bytes: Uint8Array
    try {
      bytes = await this.readBytes(absolute)
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === 'ENOENT') return this.removeFile(path)
      this.index.putDocument(record({ error: readError(error) }), [])
      return 'failed'
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex')

    if (existing?.sha256 === sha256) {
      this.index.touchDocument(path, bytes.byteLength, stat.mtimeMs)
      return 'touched'
    }
    if (!existing) {
      const moved = this.index.documentsWithHash(sha256).find((document) => !existsSync(join(this.folder, document.path)))
      if (moved) {
        this.index.renameDocument(moved.path, path)
        this.index.touchDocument(path, bytes.byteLength, stat.mtimeMs)
        return 'renamed'
      }
    }

    try {
      const document = await extractDocument(format, bytes)
      const passages = splitPassages(document.blocks)
      this.index.putDocument(record({ title: document.title ?? fallbackTitle, size: bytes.byteLength, sha256 }), passages)
      return 'indexed'
    } catch (error) {
      const reason = error instanceof UnreadableDocumentError ? error.reason : readError(error)
      this.index.putDocument(record({ size: bytes.byteLength, sha256, error: reason }), [])
      return 'failed'
    }
  }

  removeFile(path: string): FileOutcome {
    return this.index.removeDocument(path) ? 'removed' : 'absent'
  }

  /** Removes every document under a folder that went away (`path` relative, '' for the whole folder). */
  removeFolder(path: string): number {
    const prefix = path === '' ? '' : `${path}/`
    let removed = 0
    for (const document of this.index.documents()) {
      if (document.path.startsWith(prefix) && this.index.removeDocument(document.path)) removed++
    }
    return removed
  }
}
