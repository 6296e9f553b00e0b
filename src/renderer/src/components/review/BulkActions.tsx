// Above the list while conversations are checked: how many, tag them, export them, or clear the checks.
import type { BulkExport } from '../../hooks/useBulkExport'
import type { BulkControls } from '../../hooks/useBulkSelection'
import { ExportFormatMenu } from './ExportFormatMenu'
import { TagMenu } from './TagMenu'

export function BulkActions({ bulk, exporter }: { bulk: BulkControls; exporter: BulkExport }) {
  const count = bulk.ids.length
  if (count === 0) return null
  return (
    <div className="bulk-actions" role="toolbar" aria-label="Checked conversations" data-testid="bulk-actions">
      <span className="bulk-count" data-testid="bulk-count">
        {count === 1 ? '1 checked' : `${count} checked`}
      </span>
      <TagMenu conversationIds={bulk.ids} applied={null} label="Tag" testId="bulk-tag-button" />
      <ExportFormatMenu label="Export" testId="bulk-export" onPick={(format) => void exporter.start({ format, ids: bulk.ids })} />
      <button type="button" className="link-button" onClick={bulk.clear} data-testid="bulk-clear">
        Clear
      </button>
    </div>
  )
}
