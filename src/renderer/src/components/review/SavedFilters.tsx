// Saved filters: apply one (its words go to the search box), save the current filter under a name, delete one.
import { useState, type FormEvent } from 'react'
import type { ConversationFilter } from '../../../../shared/review'
import { useSavedFilters } from '../../hooks/useSavedFilters'
import { Icon } from '../Icon'

export interface SavedFiltersProps {
  /** The filter now, search words included: what Save keeps. */
  current: ConversationFilter
  onApply(filter: ConversationFilter): void
}

export function SavedFilters({ current, onApply }: SavedFiltersProps) {
  const { saved, save, remove } = useSavedFilters()
  const [name, setName] = useState('')
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (name.trim() && (await save(name.trim(), current))) setName('')
  }
  return (
    <section className="saved-filters" aria-labelledby="saved-filters-heading" data-testid="saved-filters">
      <h3 id="saved-filters-heading">Saved filters</h3>
      {saved.length === 0 ? (
        <p className="muted small">None yet.</p>
      ) : (
        <ul>
          {saved.map((item) => (
            <li key={item.id} data-testid="saved-filter" data-name={item.name}>
              <button type="button" className="link-button saved-filter-apply" onClick={() => onApply(item.filter)} title="Apply this filter">
                {item.name}
              </button>
              <button type="button" className="icon-button" aria-label={`Delete saved filter ${item.name}`} onClick={() => void remove(item)}>
                <Icon name="trash" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="input-row" onSubmit={(e) => void submit(e)}>
        <label className="visually-hidden" htmlFor="saved-filter-name">
          Name for this filter
        </label>
        <input
          id="saved-filter-name"
          placeholder="Name this filter…"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
          data-testid="saved-filter-name"
        />
        <button type="submit" className="button button-small" disabled={!name.trim()} data-testid="saved-filter-save">
          Save
        </button>
      </form>
    </section>
  )
}
