// The snippets in the manager, each with its shortcut, the start of its body, and Edit and Delete.
import type { Snippet } from '../../../../shared/steering'
import { Icon } from '../Icon'

export interface SnippetListProps {
  /** null while loading. */
  snippets: Snippet[] | null
  error: string | null
  query: string
  onEdit(snippet: Snippet): void
  onDelete(snippet: Snippet): void
}

export function SnippetList({ snippets, error, query, onEdit, onDelete }: SnippetListProps) {
  if (error) {
    return (
      <p className="field-error" role="alert">
        {error}
      </p>
    )
  }
  if (!snippets) return <p className="muted">Loading snippets…</p>
  if (snippets.length === 0) {
    return (
      <p className="muted" data-testid="snippets-empty">
        {query.trim() ? 'No snippet matches your search.' : 'No snippets yet. A snippet is a reply you send often: create one, or import a file.'}
      </p>
    )
  }
  return (
    <ul className="snippet-list" aria-label="Snippets" data-testid="snippet-list">
      {snippets.map((snippet) => (
        <li key={snippet.id} className="snippet-item" data-testid="snippet-item" data-snippet-id={snippet.id}>
          <div className="snippet-item-text">
            <span className="snippet-item-title">
              {snippet.title}
              {snippet.shortcut && <span className="snippet-option-shortcut">/{snippet.shortcut}</span>}
            </span>
            <span className="snippet-item-body muted">{snippet.body}</span>
          </div>
          <button type="button" className="icon-button" aria-label={`Edit “${snippet.title}”`} title="Edit" onClick={() => onEdit(snippet)}>
            <Icon name="pencil" />
          </button>
          <button
            type="button"
            className="icon-button icon-button-danger"
            aria-label={`Delete “${snippet.title}”`}
            title="Delete"
            onClick={() => onDelete(snippet)}
            data-testid="delete-snippet-button"
          >
            <Icon name="trash" />
          </button>
        </li>
      ))}
    </ul>
  )
}
