// The Snippets manager: the agent's canned replies, searched, created, edited, deleted (after confirming),
// imported from and exported to a JSON file. Inserted in a reply with `/` or Ctrl/⌘+/ in the reply editor.
import { useRef, useState } from 'react'
import type { Snippet } from '../../../../shared/steering'
import { useIsMac } from '../../context/platform'
import { useSnippets } from '../../hooks/useSnippets'
import { shortcutKeys } from '../../state/shortcuts'
import { ConfirmDialog } from '../ConfirmDialog'
import { Icon } from '../Icon'
import { Modal } from '../Modal'
import { SnippetForm } from './SnippetForm'
import { SnippetList } from './SnippetList'

/** What the dialog shows: the list, or the form for a new snippet or one being edited. */
type Editing = null | 'new' | Snippet

export function SnippetsDialog({ onClose }: { onClose(): void }) {
  const snippets = useSnippets()
  const mac = useIsMac()
  const [editing, setEditing] = useState<Editing>(null)
  const [toDelete, setToDelete] = useState<Snippet | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)

  return (
    <Modal title="Snippets" onClose={onClose} size="wide" testId="snippets-dialog">
      {editing ? (
        <SnippetForm
          snippet={editing === 'new' ? null : editing}
          onSave={(input) => (editing === 'new' ? snippets.create(input) : snippets.update(editing.id, input))}
          onDone={() => setEditing(null)}
        />
      ) : (
        <>
          <div className="snippets-toolbar">
            <label className="visually-hidden" htmlFor="snippets-search">
              Search snippets
            </label>
            <input
              id="snippets-search"
              type="search"
              className="snippets-search"
              placeholder="Search snippets"
              value={snippets.query}
              onChange={(e) => snippets.setQuery(e.target.value)}
              data-autofocus
              data-testid="snippets-search"
            />
            <button type="button" className="button button-primary" onClick={() => setEditing('new')} data-testid="new-snippet-button">
              <Icon name="plus" />
              New snippet
            </button>
            <button type="button" className="button" onClick={() => fileInput.current?.click()} data-testid="import-snippets-button">
              Import…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              className="visually-hidden"
              tabIndex={-1}
              aria-hidden="true"
              data-testid="import-snippets-file"
              onChange={(e) => {
                const file = e.target.files?.[0]
                e.target.value = ''
                if (file) void snippets.importFile(file)
              }}
            />
            <button type="button" className="button" onClick={() => void snippets.exportAll()} data-testid="export-snippets-button">
              <Icon name="download" />
              Export
            </button>
          </div>
          <SnippetList snippets={snippets.snippets} error={snippets.error} query={snippets.query} onEdit={setEditing} onDelete={setToDelete} />
          <p className="muted small">
            In the reply, type <kbd>/</kbd> at the start of a word, or press <kbd>{shortcutKeys('snippets', mac)}</kbd>, to insert one.
          </p>
        </>
      )}
      {toDelete && (
        <ConfirmDialog
          title="Delete this snippet?"
          message={`“${toDelete.title}” will be deleted. This cannot be undone (export first to keep a copy).`}
          confirmLabel="Delete"
          danger
          testId="confirm-delete-snippet-dialog"
          onCancel={() => setToDelete(null)}
          onConfirm={() => {
            const snippet = toDelete
            setToDelete(null)
            void snippets.remove(snippet)
          }}
        />
      )}
    </Modal>
  )
}
