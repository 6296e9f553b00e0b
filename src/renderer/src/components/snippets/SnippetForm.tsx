// Creating or editing a snippet: its title, the shortcut typed after `/`, and its body with placeholders the
// console fills in when it is inserted. What the API refuses is shown as it says it; the form stays open.
import { useId, useState, type FormEvent } from 'react'
import { MAX_SHORTCUT_CHARS, MAX_SNIPPET_BODY_CHARS, MAX_SNIPPET_TITLE_CHARS } from '../../../../shared/limits'
import type { NewSnippet, Snippet } from '../../../../shared/steering'
import { PLACEHOLDERS } from '../../state/snippet-placeholders'

export interface SnippetFormProps {
  /** null for a new snippet. */
  snippet: Snippet | null
  /** Resolves to null when saved, else why not. */
  onSave(input: NewSnippet): Promise<string | null>
  onDone(): void
}

export function SnippetForm({ snippet, onSave, onDone }: SnippetFormProps) {
  const id = useId()
  const [title, setTitle] = useState(snippet?.title ?? '')
  const [shortcut, setShortcut] = useState(snippet?.shortcut ?? '')
  const [body, setBody] = useState(snippet?.body ?? '')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (title.trim() === '' || body.trim() === '') {
      setError('A snippet needs a title and a text.')
      return
    }
    setSaving(true)
    const failed = await onSave({ title: title.trim(), body, shortcut: shortcut.trim() === '' ? null : shortcut.trim().replace(/^\//, '') })
    setSaving(false)
    if (failed) setError(failed)
    else onDone()
  }

  return (
    <form className="snippet-form" onSubmit={(e) => void submit(e)} data-testid="snippet-form" aria-label={snippet ? 'Edit snippet' : 'New snippet'}>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          value={title}
          maxLength={MAX_SNIPPET_TITLE_CHARS}
          onChange={(e) => setTitle(e.target.value)}
          // Mounted inside the open dialog, so React's autoFocus is the one that applies.
          autoFocus
          data-testid="snippet-title"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-shortcut`}>
          Shortcut <span className="muted">(optional: typed as /shortcut in the reply)</span>
        </label>
        <input
          id={`${id}-shortcut`}
          value={shortcut}
          maxLength={MAX_SHORTCUT_CHARS + 1}
          placeholder="refund"
          onChange={(e) => setShortcut(e.target.value)}
          data-testid="snippet-shortcut"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-body`}>Text</label>
        <textarea
          id={`${id}-body`}
          value={body}
          rows={7}
          maxLength={MAX_SNIPPET_BODY_CHARS}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby={`${id}-placeholders`}
          data-testid="snippet-body"
        />
        <p id={`${id}-placeholders`} className="muted small">
          Placeholders:{' '}
          {Object.entries(PLACEHOLDERS).map(([name, meaning], i) => (
            <span key={name}>
              {i > 0 && ', '}
              <code>{`{${name}}`}</code> {meaning}
            </span>
          ))}
          . One the console does not know is left in and selected, for you to type over.
        </p>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="snippet-form-error">
          {error}
        </p>
      )}
      <div className="snippet-form-actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={saving} data-testid="save-snippet-button">
          {saving ? 'Saving…' : 'Save snippet'}
        </button>
      </div>
    </form>
  )
}
