// A button opening the bulk export's formats (Markdown, JSON, CSV).
import { BULK_EXPORT_FORMATS, type BulkExportFormat } from '../../../../shared/review'
import { usePopover } from '../../hooks/usePopover'
import { EXPORT_FORMAT_LABEL } from '../../state/export-job'
import { ButtonMenu } from '../ButtonMenu'
import { MenuChoices } from '../MenuChoices'

const CHOICES = BULK_EXPORT_FORMATS.map((format) => [format, EXPORT_FORMAT_LABEL[format]] as const)

export interface ExportFormatMenuProps {
  label: string
  testId: string
  disabled?: boolean
  onPick(format: BulkExportFormat): void
}

export function ExportFormatMenu({ label, testId, disabled = false, onPick }: ExportFormatMenuProps) {
  const popover = usePopover()
  return (
    <ButtonMenu popover={popover} icon="download" label={label} testId={testId} disabled={disabled}>
      <MenuChoices
        choices={CHOICES}
        testId={testId}
        onPick={(format) => {
          popover.setOpen(false)
          onPick(format)
        }}
      />
    </ButtonMenu>
  )
}
