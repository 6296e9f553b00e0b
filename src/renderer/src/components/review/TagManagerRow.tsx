// One tag in the manager: its name is saved when the field loses focus or on Enter; its colour when chosen.
import { useState } from 'react'
import type { Tag } from '../../../../shared/review'
import { useReview } from '../../context/review'
import { Icon } from '../Icon'
import { TagChip } from './TagChip'
import { TagColorSelect } from './TagColorSelect'

export function TagManagerRow({ tag, onDelete }: { tag: Tag; onDelete(): void }) {
  const { updateTag } = useReview()
  const [name, setName] = useState(tag.name)
  const rename = (): void => {
    const trimmed = name.trim()
    if (!trimmed || trimmed === tag.name) setName(tag.name)
    else void updateTag(tag.id, { name: trimmed }).then((ok) => ok || setName(tag.name))
  }
  return (
    <tr data-testid="tag-row" data-tag={tag.name}>
      <td>
        <label className="visually-hidden" htmlFor={`tag-name-${tag.id}`}>
          Name of {tag.name}
        </label>
        <input
          id={`tag-name-${tag.id}`}
          value={name}
          maxLength={40}
          onChange={(e) => setName(e.target.value)}
          onBlur={rename}
          onKeyDown={(e) => e.key === 'Enter' && rename()}
        />
      </td>
      <td>
        <TagColorSelect
          id={`tag-color-${tag.id}`}
          label={`Colour of ${tag.name}`}
          hideLabel
          value={tag.color}
          onChange={(color) => void updateTag(tag.id, { color })}
        />
      </td>
      <td>
        <TagChip tag={tag} /> <span className="muted">{tag.conversationCount}</span>
      </td>
      <td>
        <button type="button" className="icon-button icon-button-danger" aria-label={`Delete tag ${tag.name}`} title="Delete tag" onClick={onDelete}>
          <Icon name="trash" />
        </button>
      </td>
    </tr>
  )
}
