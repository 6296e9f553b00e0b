// The desktop's exports to a file (issue 9): the agent picks the file in a save dialog (the main process; the
// renderer never passes a path), the export runs in the background with progress the UI polls (getExportJob), and
// it can be cancelled. It is written to `<file>.partial` and renamed when complete, so the chosen name never holds
// half an export; a cancelled or failed one is deleted.
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { finished } from 'node:stream/promises'
import type { BulkExportFormat, ExportJob } from '../../../shared/review'
import type { ExportSelection } from '../store/export'
import type { TranscriptStore } from '../store/transcript-store'
import { writeBulkExport } from './export-bulk'

/** Jobs kept after they end, so the UI can read their outcome. */
const KEEP_FINISHED = 20

export class ExportJobs {
  private readonly jobs = new Map<string, { job: ExportJob; abort: AbortController; done: Promise<void> }>()

  constructor(
    private readonly store: TranscriptStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(selection: ExportSelection, format: BulkExportFormat, file: string): ExportJob {
    const job: ExportJob = {
      id: randomUUID(),
      format,
      file,
      state: 'running',
      conversationsDone: 0,
      conversationsTotal: 0,
      messagesDone: 0,
      bytesWritten: 0,
      startedAt: this.now().toISOString(),
      finishedAt: null,
      error: null,
    }
    const abort = new AbortController()
    const done = this.run(job, selection, abort.signal)
    this.jobs.set(job.id, { job, abort, done })
    this.forgetOld()
    return { ...job }
  }

  get(id: string): ExportJob | undefined {
    const entry = this.jobs.get(id)
    return entry && { ...entry.job }
  }

  /** Cancels a running job (a finished one stays as it is); resolves once its partial file is gone. */
  async cancel(id: string): Promise<ExportJob | undefined> {
    const entry = this.jobs.get(id)
    if (!entry) return undefined
    if (entry.job.state === 'running') entry.abort.abort(new Error('cancelled'))
    await entry.done
    return { ...entry.job }
  }

  /** Cancels every running job and resolves when all have ended (closing the core). */
  async cancelAll(): Promise<void> {
    for (const entry of this.jobs.values()) if (entry.job.state === 'running') entry.abort.abort(new Error('cancelled'))
    await Promise.all([...this.jobs.values()].map((entry) => entry.done))
  }

  private async run(job: ExportJob, selection: ExportSelection, signal: AbortSignal): Promise<void> {
    const partial = `${job.file}.partial`
    const out = createWriteStream(partial, { mode: 0o600 })
    try {
      // Starts on the next tick, so start() answers first.
      await new Promise((resolve) => setImmediate(resolve))
      await writeBulkExport(this.store, selection, job.format, out, { signal, onProgress: (p) => Object.assign(job, p) })
      out.end()
      await finished(out)
      await rename(partial, job.file)
      job.state = 'done'
    } catch (error) {
      out.destroy()
      await rm(partial, { force: true })
      job.state = signal.aborted ? 'cancelled' : 'failed'
      job.error = signal.aborted ? null : error instanceof Error ? error.message : String(error)
    } finally {
      job.finishedAt = this.now().toISOString()
    }
  }

  private forgetOld(): void {
    const ended = [...this.jobs.values()].filter((e) => e.job.state !== 'running')
    for (const entry of ended.slice(0, Math.max(0, ended.length - KEEP_FINISHED))) this.jobs.delete(entry.job.id)
  }
}

export type { ExportSelection }
