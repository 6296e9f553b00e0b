// A desktop export under way (or just ended): a progress bar, its count, and Cancel or Close.
import type { BulkExport } from '../../hooks/useBulkExport'
import { exportFraction, exportProgressText } from '../../state/export-job'

export function ExportProgress({ exporter }: { exporter: BulkExport }) {
  const { job } = exporter
  if (!job) return null
  const fraction = exportFraction(job)
  return (
    <div className="export-progress" role="status" data-testid="export-progress" data-state={job.state}>
      <progress max={1} value={fraction ?? undefined} aria-label="Export progress" />
      <span className="small">{exportProgressText(job)}</span>
      {job.state === 'running' ? (
        <button type="button" className="link-button" onClick={exporter.cancel}>
          Cancel
        </button>
      ) : (
        <button type="button" className="link-button" onClick={exporter.dismiss}>
          Close
        </button>
      )}
    </div>
  )
}
