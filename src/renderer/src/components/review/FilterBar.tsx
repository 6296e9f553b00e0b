// Under the search box: the Filters button (with how many fields are set), a chip per field set (× removes it),
// and, opened, the filter's fields and the saved filters. "Export matching" exports everything the filter and
// the search words select.
import type { ConversationFilter } from '../../../../shared/review'
import { useReview } from '../../context/review'
import type { BulkExport } from '../../hooks/useBulkExport'
import { usePopover } from '../../hooks/usePopover'
import { activeFieldCount, filterChips, withoutChip, type ReviewFilter } from '../../state/review-filter'
import { Icon } from '../Icon'
import { ExportFormatMenu } from './ExportFormatMenu'
import { FilterPanel } from './FilterPanel'
import { SavedFilters } from './SavedFilters'

export interface FilterBarProps {
  filter: ReviewFilter
  query: string
  onChange(filter: ReviewFilter): void
  onQueryChange(query: string): void
  exporter: BulkExport
}

export function FilterBar({ filter, query, onChange, onQueryChange, exporter }: FilterBarProps) {
  const { tags } = useReview()
  const panel = usePopover()
  const count = activeFieldCount(filter)
  const chips = filterChips(filter, tags)
  const current: ConversationFilter = { ...filter, q: query.trim() || undefined }
  const apply = ({ q, ...rest }: ConversationFilter): void => {
    onChange(rest)
    onQueryChange(q ?? '')
  }
  return (
    <div className="filter-bar" ref={panel.anchor}>
      <div className="filter-bar-row">
        <button
          type="button"
          className="button button-small"
          aria-expanded={panel.open}
          aria-controls="filter-popover"
          onClick={panel.toggle}
          data-testid="filter-button"
        >
          <Icon name="chevronDown" size={14} />
          Filters
          {count > 0 && (
            <span className="filter-count" aria-label={`, ${count} set`}>
              {count}
            </span>
          )}
        </button>
        <ExportFormatMenu label="Export matching" testId="export-matching" onPick={(format) => void exporter.start({ format, filter: current })} />
      </div>
      {chips.length > 0 && (
        <ul className="filter-chips" aria-label="Filters set" data-testid="filter-chips">
          {chips.map((chip) => (
            <li key={chip.field} className="filter-chip">
              {chip.label}
              <button
                type="button"
                className="tag-chip-remove"
                aria-label={`Remove filter ${chip.label}`}
                onClick={() => onChange(withoutChip(filter, chip.field))}
              >
                <Icon name="x" size={12} />
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="link-button small" onClick={() => onChange({})} data-testid="filter-clear">
              Clear all
            </button>
          </li>
        </ul>
      )}
      {panel.open && (
        <div id="filter-popover" className="popover filter-popover" role="dialog" aria-label="Filters" onKeyDown={panel.onKeyDown}>
          <FilterPanel filter={filter} onChange={onChange} />
          <SavedFilters current={current} onApply={apply} />
        </div>
      )}
    </div>
  )
}
