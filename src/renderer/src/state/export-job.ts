// Bulk export: the web console's download address and the words for a desktop export's progress.
// Pure: unit-tested under Node.
import { exportUrl, type BulkExportFormat, type ExportJob, type ExportRequest } from '../../../shared/review'

export const EXPORT_FORMAT_LABEL: Record<BulkExportFormat, string> = { markdown: 'Markdown (.md)', json: 'JSON (.json)', csv: 'CSV (.csv)' }

/** The streaming export's address with the console's token (a download cannot carry an Authorization header). */
export function webExportHref(request: ExportRequest, token: string): string {
  return `${exportUrl(request)}&token=${encodeURIComponent(token)}`
}

const bytes = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

/** "Exported 120 of 400 conversations (1.2 MB)", or how it ended. */
export function exportProgressText(job: ExportJob): string {
  const counted = `${job.conversationsDone} of ${job.conversationsTotal} conversations (${bytes(job.bytesWritten)})`
  switch (job.state) {
    case 'running':
      return `Exporting: ${counted}`
    case 'done':
      return `Exported ${job.conversationsDone} conversations (${bytes(job.bytesWritten)}) to ${job.file}`
    case 'failed':
      return `The export failed: ${job.error ?? 'unknown error'}`
    case 'cancelled':
      return 'The export was cancelled.'
  }
}

/** 0..1 for a progress bar; null while the total is not known yet. */
export function exportFraction(job: ExportJob): number | null {
  if (job.conversationsTotal <= 0) return job.state === 'done' ? 1 : null
  return Math.min(1, job.conversationsDone / job.conversationsTotal)
}
