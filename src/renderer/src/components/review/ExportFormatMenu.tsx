// A button opening the bulk export's formats (Markdown, JSON, CSV).
import { BULK_EXPORT_FORMATS, type BulkExportFormat } from '../../../../shared/review'
import { usePopover } from '../../hooks/usePopover'
import { EXPORT_FORMAT_LABEL } from '../../state/export-job'
import { Icon } from '../Icon'

export interface ExportFormatMenuProps {
  label: string
  testId: string
  disabled?: boolean
  onPick(format: BulkExportFormat): void
}

export function ExportFormatMenu({ label, testId, disabled = false, onPick }: ExportFormatMenuProps) {
  const popover = usePopover()
  return (
    <div className="menu-anchor" ref={popover.anchor}>
      <button
        type="button"
        className="button button-small"
        aria-haspopup="menu"
        aria-expanded={popover.open}
        disabled={disabled}
        onClick={popover.toggle}
        data-testid={testId}
      >
        <Icon name="download" size={14} />
        {label}
      </button>
      {popover.open && (
        <div className="menu" role="menu" aria-label={label} onKeyDown={popover.onKeyDown}>
          {BULK_EXPORT_FORMATS.map((format, i) => (
            <button
              key={format}
              type="button"
              role="menuitem"
              className="menu-item"
              autoFocus={i === 0}
              data-testid={`${testId}-${format}`}
              onClick={() => {
                popover.setOpen(false)
                onPick(format)
              }}
            >
              {EXPORT_FORMAT_LABEL[format]}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
