// The Export button and its menu of formats. A click outside or Escape closes the menu.
import type { ExportFormat } from '../../../../shared/api'
import { usePopover } from '../../hooks/usePopover'
import { Icon } from '../Icon'
import { MenuChoices } from '../MenuChoices'

const FORMATS: readonly (readonly [ExportFormat, string])[] = [
  ['markdown', 'Markdown (.md)'],
  ['json', 'JSON (.json)'],
]

export function ExportMenu({ onExport }: { onExport(format: ExportFormat): void }) {
  const popover = usePopover()
  return (
    <div className="menu-anchor" ref={popover.anchor}>
      <button
        type="button"
        className="icon-button"
        aria-label="Export transcript"
        title="Export transcript"
        aria-haspopup="menu"
        aria-expanded={popover.open}
        onClick={popover.toggle}
        data-testid="export-button"
      >
        <Icon name="download" />
      </button>
      {popover.open && (
        <div className="menu" role="menu" onKeyDown={popover.onKeyDown}>
          <MenuChoices
            choices={FORMATS}
            testId="export"
            onPick={(format) => {
              popover.setOpen(false)
              onExport(format)
            }}
          />
        </div>
      )}
    </div>
  )
}
