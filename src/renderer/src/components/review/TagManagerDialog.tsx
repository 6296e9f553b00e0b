// The tag manager: every tag with how many conversations carry it, renamed and recoloured in place, deleted after
// a confirmation, and new tags made at the bottom.
import { useState, type FormEvent } from 'react'
import { TAG_COLORS, type Tag, type TagColor } from '../../../../shared/review'
import { useReview } from '../../context/review'
import { ConfirmDialog } from '../ConfirmDialog'
import { Modal } from '../Modal'
import { TagColorSelect } from './TagColorSelect'
import { TagManagerRow } from './TagManagerRow'

export function TagManagerDialog({ onClose }: { onClose(): void }) {
  const { tags, createTag, deleteTag } = useReview()
  const [name, setName] = useState('')
  const [color, setColor] = useState<TagColor>(TAG_COLORS[6])
  const [toDelete, setToDelete] = useState<Tag | null>(null)

  const create = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!name.trim()) return
    if (await createTag({ name: name.trim(), color })) setName('')
  }

  return (
    <Modal title="Tags" onClose={onClose} testId="tag-manager" size="wide">
      {tags.length === 0 ? (
        <p className="muted">No tags yet. Make one below, then tag conversations from their header or a selection in the list.</p>
      ) : (
        <table className="tag-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Colour</th>
              <th scope="col">Conversations</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tags.map((tag) => (
              <TagManagerRow key={tag.id} tag={tag} onDelete={() => setToDelete(tag)} />
            ))}
          </tbody>
        </table>
      )}
      <form className="tag-new-form" onSubmit={(e) => void create(e)}>
        <div className="field">
          <label htmlFor="new-tag-name">New tag</label>
          <input id="new-tag-name" value={name} maxLength={40} onChange={(e) => setName(e.target.value)} data-testid="new-tag-name" />
        </div>
        <TagColorSelect id="new-tag-color" label="Colour" value={color} onChange={setColor} />
        <button type="submit" className="button button-primary" disabled={!name.trim()} data-testid="new-tag-create">
          Create
        </button>
      </form>
      {toDelete && (
        <ConfirmDialog
          title={`Delete the tag “${toDelete.name}”?`}
          message={`It comes off ${toDelete.conversationCount === 1 ? 'the one conversation' : `the ${toDelete.conversationCount} conversations`} that carry it. The conversations stay.`}
          confirmLabel="Delete tag"
          danger
          testId="confirm-delete-tag"
          onCancel={() => setToDelete(null)}
          onConfirm={() => {
            void deleteTag(toDelete)
            setToDelete(null)
          }}
        />
      )}
    </Modal>
  )
}
