import { forwardRef } from 'react'
import { Icon } from './Icon'

export interface SearchBoxProps {
  value: string
  onChange(value: string): void
  shortcut: string
  busy: boolean
}

export const SearchBox = forwardRef<HTMLInputElement, SearchBoxProps>(function SearchBox({ value, onChange, shortcut, busy }, ref) {
  return (
    <div className="search-box" role="search">
      <label htmlFor="conversation-search" className="visually-hidden">
        Search all messages
      </label>
      <Icon name="search" className="search-icon" />
      <input
        ref={ref}
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
})
