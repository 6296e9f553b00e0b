// The conversation title as a field: Enter or leaving the field saves, Escape cancels.
import { useEffect, useRef, useState } from 'react'

const MAX_TITLE = 200

export interface TitleEditorProps {
  title: string
  /** Resolves to whether the title was saved; the field stays open otherwise. */
  onSave(title: string): Promise<boolean>
  /** Editing is over; `refocus` puts focus back on the Rename button (after a save or Escape). */
  onDone(refocus: boolean): void
}

export function TitleEditor({ title, onSave, onDone }: TitleEditorProps) {
  const [draftTitle, setDraftTitle] = useState(title)
  const [saving, setSaving] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    input.current?.select()
  }, [])

  const finish = async (): Promise<void> => {
    const next = draftTitle.trim()
    if (next === title || next === '') {
      onDone(false)
      return
    }
    setSaving(true)
    const ok = await onSave(next)
    setSaving(false)
    if (ok) onDone(true)
  }

  return (
    <input
      ref={input}
      className="title-input"
      aria-label="Conversation title"
      value={draftTitle}
      maxLength={MAX_TITLE}
      disabled={saving}
      data-testid="rename-input"
      onChange={(e) => setDraftTitle(e.target.value)}
      onBlur={() => void finish()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault()
          void finish()
        } else if (e.key === 'Escape') {
          e.preventDefault()
          onDone(true)
        }
      }}
    />
  )
}
