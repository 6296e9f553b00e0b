// The snippet picker's list, over the bottom of the reply editor. The editor keeps focus (it points at the
// highlighted option with aria-activedescendant); a click chooses without taking focus away from it.
import type { SnippetPickerControls } from '../../hooks/useSnippetPicker'

export function SnippetPicker({ picker }: { picker: SnippetPickerControls }) {
  if (!picker.open) return null
  const { options } = picker
  let empty: string | null = null
  if (picker.error) empty = `Snippets could not be loaded: ${picker.error}`
  else if (options === null) empty = 'Loading snippets…'
  else if (options.length === 0) empty = 'No snippet matches. Add snippets from the sidebar’s Snippets.'
  return (
    <div className="snippet-picker" data-testid="snippet-picker">
      {empty ? (
        <p className="snippet-picker-empty muted" role="status">
          {empty}
        </p>
      ) : (
        <ul id={picker.listboxId} role="listbox" aria-label="Snippets" className="snippet-picker-list">
          {(options ?? []).map((snippet, i) => (
            <li
              key={snippet.id}
              id={picker.optionId(i)}
              role="option"
              aria-selected={i === picker.active}
              className={i === picker.active ? 'snippet-option is-active' : 'snippet-option'}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => picker.setActive(i)}
              onClick={() => picker.choose(snippet)}
              data-testid="snippet-option"
            >
              <span className="snippet-option-title">
                {snippet.title}
                {snippet.shortcut && <span className="snippet-option-shortcut">/{snippet.shortcut}</span>}
              </span>
              <span className="snippet-option-body">{snippet.body}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="snippet-picker-hint muted" aria-hidden="true">
        ↑ ↓ to choose · Enter to insert · Esc to close
      </p>
    </div>
  )
}
