// A tag as a coloured chip; the colour is a name from the fixed palette, shaded per theme in review.css.
import type { Tag } from '../../../../shared/review'
import { Icon } from '../Icon'

export interface TagChipProps {
  tag: Pick<Tag, 'name' | 'color'>
  /** Shown as a × button that takes the tag off. */
  onRemove?(): void
}

export function TagChip({ tag, onRemove }: TagChipProps) {
  return (
    <span className={`tag-chip tag-${tag.color}`} data-testid="tag-chip" data-tag={tag.name}>
      <span className="tag-dot" aria-hidden="true" />
      {tag.name}
      {onRemove && (
        <button type="button" className="tag-chip-remove" aria-label={`Remove tag ${tag.name}`} title={`Remove tag ${tag.name}`} onClick={onRemove}>
          <Icon name="x" size={12} />
        </button>
      )}
    </span>
  )
}
