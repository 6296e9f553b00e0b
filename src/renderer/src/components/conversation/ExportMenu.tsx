// The Export button and its menu of formats. A click outside or Escape closes the menu.
import { useEffect, useRef, useState } from 'react'
import type { ExportFormat } from '../../../../shared/api'
import { Icon } from '../Icon'

const FORMATS: readonly (readonly [ExportFormat, string])[] = [
  ['markdown', 'Markdown (.md)'],
  ['json', 'JSON (.json)'],
]

export function ExportMenu({ onExport }: { onExport(format: ExportFormat): void }) {
  const [open, setOpen] = useState(false)
  const anchor = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent): void => {
      if (!anchor.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])

  return (
    <div className="menu-anchor" ref={anchor}>
      <button
        type="button"
        className="icon-button"
        aria-label="Export transcript"
        title="Export transcript"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="export-button"
      >
        <Icon name="download" />
      </button>
      {open && (
        <div
          className="menu"
          role="menu"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              setOpen(false)
            }
          }}
        >
          {FORMATS.map(([format, label], i) => (
            <button
              key={format}
              type="button"
              role="menuitem"
              className="menu-item"
              autoFocus={i === 0}
              data-testid={`export-${format}`}
              onClick={() => {
                setOpen(false)
                onExport(format)
              }}
            >
              {label}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
