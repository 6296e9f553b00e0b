// The Tag button and its menu. For one conversation each tag is a checkbox (on or off it); for a selection the
// agent picks Add or Remove first, then the tag. A new tag can be made from the menu and is applied at once.
import { useState, type FormEvent } from 'react'
import type { Tag } from '../../../../shared/review'
import { useReview } from '../../context/review'
import { usePopover } from '../../hooks/usePopover'
import { ButtonMenu } from '../ButtonMenu'
import { Icon } from '../Icon'

export interface TagMenuProps {
  conversationIds: number[]
  /** The tags the one conversation carries; null for a selection (its tags differ). */
  applied: ReadonlySet<number> | null
  label: string
  testId: string
}

export function TagMenu({ conversationIds, applied, label, testId }: TagMenuProps) {
  const { tags, setTagged, createTag, openTagManager } = useReview()
  const popover = usePopover()
  const [mode, setMode] = useState<'add' | 'remove'>('add')
  const [name, setName] = useState('')

  const choose = (tag: Tag): void => {
    const add = applied ? !applied.has(tag.id) : mode === 'add'
    void setTagged(conversationIds, tag, add)
    if (!applied) popover.setOpen(false)
  }
  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const tag = name.trim() ? await createTag({ name: name.trim() }) : null
    if (!tag) return
    setName('')
    await setTagged(conversationIds, tag, true)
  }

  return (
    <ButtonMenu popover={popover} icon="plus" label={label} testId={testId} menuClassName="tag-menu">
      {!applied && (
        <div className="segmented" role="group" aria-label="Add or remove">
          {(['add', 'remove'] as const).map((m) => (
            <button key={m} type="button" role="menuitemradio" aria-checked={mode === m} className="segment" onClick={() => setMode(m)}>
              {m === 'add' ? 'Add' : 'Remove'}
            </button>
          ))}
        </div>
      )}
      {tags.length === 0 && <p className="menu-note">No tags yet.</p>}
      {tags.map((tag, i) => (
        <button
          key={tag.id}
          type="button"
          role={applied ? 'menuitemcheckbox' : 'menuitem'}
          aria-checked={applied ? applied.has(tag.id) : undefined}
          className="menu-item tag-menu-item"
          autoFocus={i === 0}
          data-testid="tag-menu-item"
          data-tag={tag.name}
          onClick={() => choose(tag)}
        >
          <span className={`tag-dot tag-${tag.color}`} aria-hidden="true" />
          <span className="tag-menu-name">{tag.name}</span>
          {applied?.has(tag.id) && <Icon name="check" size={14} />}
        </button>
      ))}
      <form className="tag-menu-new" onSubmit={(e) => void create(e)}>
        <label className="visually-hidden" htmlFor={`${testId}-new`}>
          New tag
        </label>
        <input id={`${testId}-new`} placeholder="New tag…" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
      </form>
      <button type="button" role="menuitem" className="menu-item" onClick={openTagManager} data-testid="manage-tags-button">
        Manage tags…
      </button>
    </ButtonMenu>
  )
}
