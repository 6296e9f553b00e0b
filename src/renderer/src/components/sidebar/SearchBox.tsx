// Searches every message. Ctrl/⌘+K anywhere brings the cursor here.
import { useRef } from 'react'
import { useIsMac } from '../../context/platform'
import { useGlobalShortcuts } from '../../hooks/useGlobalShortcuts'
import { shortcutKeys } from '../../state/shortcuts'
import { Icon } from '../Icon'

export interface SearchBoxProps {
  value: string
  onChange(value: string): void
  busy: boolean
}

export function SearchBox({ value, onChange, busy }: SearchBoxProps) {
  const input = useRef<HTMLInputElement>(null)
  const shortcut = shortcutKeys('search', useIsMac())
  useGlobalShortcuts({
    search: () => {
      input.current?.focus()
      input.current?.select()
    },
  })
  return (
    <div className="search-box" role="search">
      <label htmlFor="conversation-search" className="visually-hidden">
        Search all messages
      </label>
      <Icon name="search" className="search-icon" />
      <input
        ref={input}
        id="conversation-search"
        type="search"
        placeholder="Search all messages"
        autoComplete="off"
        spellCheck={false}
        value={value}
        data-testid="search-input"
        title={`Search all messages (${shortcut})`}
        aria-busy={busy}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          // Escape clears the search first; only an empty box lets Escape mean anything else.
          if (e.key === 'Escape' && value !== '') {
            e.preventDefault()
            onChange('')
          }
        }}
      />
      {value === '' && (
        <kbd className="search-kbd" aria-hidden="true">
          {shortcut}
        </kbd>
      )}
    </div>
  )
}
