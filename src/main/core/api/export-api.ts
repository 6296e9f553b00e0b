// Conversations exported in bulk: to a file the desktop app chooses, as a job the console watches (export-jobs.ts),
// or streamed to an HTTP download (export-bulk.ts).
import { ApiError } from '../../../shared/api'
import type { ExportJob, ExportRequest } from '../../../shared/review'
import type { ExportSelection } from '../store/export'
import type { TranscriptStore } from '../store/transcript-store'
import type { Writable } from 'node:stream'
import type { ApiServiceDeps } from './api-deps'
import { guard } from './api-errors'
import { exportFilename, writeBulkExport, type BulkExportOptions, type ExportProgress } from './export-bulk'
import { ExportJobs } from './export-jobs'

export class ExportApi {
  private readonly jobs: ExportJobs

  constructor(private readonly deps: Pick<ApiServiceDeps, 'store' | 'chooseExportFile'>) {
    this.jobs = new ExportJobs(deps.store)
  }

  async startExport(request: ExportRequest): Promise<ExportJob | null> {
    const choose = this.deps.chooseExportFile
    if (!choose)
      throw new ApiError('unavailable', 'Exporting to a file is for the desktop app; in a browser, download the export from GET /api/export.')
    const selection = exportSelection(request)
    // Checked before the dialog opens: a bad filter is refused without asking where to save.
    guard(() => this.deps.store.exporter.count(selection))
    const file = await choose(exportFilename(request.format, new Date()))
    if (file === null) return null
    return this.jobs.start(selection, request.format, file)
  }

  async getExportJob(id: string): Promise<ExportJob> {
    const job = this.jobs.get(id)
    if (!job) throw new ApiError('not-found', `There is no export ${id}.`)
    return job
  }

  async cancelExportJob(id: string): Promise<ExportJob> {
    const job = await this.jobs.cancel(id)
    if (!job) throw new ApiError('not-found', `There is no export ${id}.`)
    return job
  }

  /**
   * Streams an export to `sink` (the HTTP download, GET /api/export): not a declared method, its caller parsed the
   * request (review.ts exportQuery). The sink is not ended here.
   */
  async streamExport(request: ExportRequest, sink: Writable, options: BulkExportOptions = {}): Promise<ExportProgress> {
    return writeBulkExport(
      this.deps.store,
      guard(() => checkedSelection(this.deps.store, exportSelection(request))),
      request.format,
      sink,
      options,
    )
  }

  /** Cancels running exports and waits for them to end (closing the core). */
  async closeExports(): Promise<void> {
    await this.jobs.cancelAll()
  }
}

function exportSelection(request: ExportRequest): ExportSelection {
  return request.ids && request.ids.length > 0 ? { ids: request.ids } : { filter: request.filter ?? {} }
}

/** Counting runs the selection's SQL once, so a bad filter is refused before anything is written. */
function checkedSelection(store: TranscriptStore, selection: ExportSelection): ExportSelection {
  store.exporter.count(selection)
  return selection
}
