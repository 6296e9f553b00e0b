// The filter's fields: last activity between two days, how drafts ended, feedback, whether a reply was sent,
// source, model and tags. Every field narrows the list at once (text fields when they lose focus or on Enter).
import { DRAFT_OUTCOMES, FEEDBACK_FILTERS } from '../../../../shared/review'
import { useReview } from '../../context/review'
import { FEEDBACK_LABEL, OUTCOME_LABEL, setField, toggleValue, type ReviewFilter } from '../../state/review-filter'
import { CheckGroup } from './CheckGroup'
import { FilterListField } from './FilterListField'
import { TagChip } from './TagChip'

export interface FilterPanelProps {
  filter: ReviewFilter
  onChange(filter: ReviewFilter): void
}

const OUTCOMES = DRAFT_OUTCOMES.map((value) => ({ value, label: OUTCOME_LABEL[value] }))
const FEEDBACK = FEEDBACK_FILTERS.map((value) => ({ value, label: FEEDBACK_LABEL[value] }))

export function FilterPanel({ filter, onChange }: FilterPanelProps) {
  const { tags, openTagManager } = useReview()
  const used = filter.usedReply === undefined ? '' : String(filter.usedReply)
  return (
    <div className="filter-panel" data-testid="filter-panel">
      <fieldset className="filter-dates">
        <legend>Last activity (UTC days)</legend>
        <label>
          From
          <input
            type="date"
            value={filter.from ?? ''}
            onChange={(e) => onChange(setField(filter, 'from', e.target.value))}
            data-testid="filter-from"
          />
        </label>
        <label>
          To
          <input type="date" value={filter.to ?? ''} onChange={(e) => onChange(setField(filter, 'to', e.target.value))} data-testid="filter-to" />
        </label>
      </fieldset>
      <CheckGroup
        legend="Drafts that ended"
        options={OUTCOMES}
        checked={filter.status}
        onToggle={(v) => onChange(toggleValue(filter, 'status', v))}
        testId="filter-status"
      />
      <CheckGroup
        legend="Feedback"
        options={FEEDBACK}
        checked={filter.feedback}
        onToggle={(v) => onChange(toggleValue(filter, 'feedback', v))}
        testId="filter-feedback"
      />
      <div className="field">
        <label htmlFor="filter-used-reply">Reply sent</label>
        <select
          id="filter-used-reply"
          value={used}
          data-testid="filter-used-reply"
          onChange={(e) => onChange(setField(filter, 'usedReply', e.target.value === '' ? undefined : e.target.value === 'true'))}
        >
          <option value="">Any</option>
          <option value="true">A reply was sent</option>
          <option value="false">No reply sent</option>
        </select>
      </div>
      <FilterListField
        id="filter-source"
        label="Source"
        hint="app, or an integration's name"
        values={filter.source}
        onChange={(v) => onChange(setField(filter, 'source', v))}
      />
      <FilterListField
        id="filter-model"
        label="Model"
        hint="e.g. gemini-2.5-flash"
        values={filter.model}
        onChange={(v) => onChange(setField(filter, 'model', v))}
      />
      {tags.length > 0 && (
        <CheckGroup
          legend="Tags"
          options={tags.map((tag) => ({ value: tag.id, label: <TagChip tag={tag} /> }))}
          checked={filter.tag}
          onToggle={(v) => onChange(toggleValue(filter, 'tag', v))}
          testId="filter-tags"
        />
      )}
      <button type="button" className="link-button" onClick={openTagManager}>
        Manage tags…
      </button>
    </div>
  )
}
