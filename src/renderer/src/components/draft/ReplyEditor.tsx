// The reply as text to edit; Ctrl/⌘+Enter uses it. A `/` at the start of a word (or Ctrl/⌘+/) opens the
// snippet picker.
import type { Ref } from 'react'
import { useIsMac } from '../../context/platform'
import { useSnippetPicker } from '../../hooks/useSnippetPicker'
import { isSubmitChord } from '../../state/shortcuts'
import type { PlaceholderValues } from '../../state/snippet-placeholders'
import { SnippetPicker } from '../snippets/SnippetPicker'

export interface ReplyEditorProps {
  ref: Ref<HTMLTextAreaElement>
  text: string
  /** Drafting is not possible now, so the placeholder does not offer it. */
  blocked: boolean
  /** What snippets' placeholders are filled with. */
  placeholders: PlaceholderValues
  onChange(text: string): void
  onSubmit(): void
}

export function ReplyEditor({ ref, text, blocked, placeholders, onChange, onSubmit }: ReplyEditorProps) {
  const mac = useIsMac()
  const picker = useSnippetPicker(text, onChange, placeholders)
  const activeOption = picker.open && picker.options?.length ? picker.optionId(picker.active) : undefined
  return (
    <>
      <label htmlFor="reply-editor" className="visually-hidden">
        Reply text
      </label>
      <textarea
        ref={ref}
        id="reply-editor"
        className="draft-editor"
        value={text}
        placeholder={`${blocked ? 'Write the reply here.' : 'Draft a reply with Gemini, or write one here.'} Type / for a snippet.`}
        data-testid="draft-editor"
        aria-autocomplete="list"
        aria-controls={picker.open ? picker.listboxId : undefined}
        aria-activedescendant={activeOption}
        onChange={(e) => {
          onChange(e.target.value)
          picker.track(e.target)
        }}
        onSelect={(e) => picker.track(e.currentTarget)}
        onBlur={() => picker.close()}
        onKeyDown={(e) => {
          if (picker.onKeyDown(e)) {
            e.preventDefault()
            // Esc closes the picker, not the draft (the app-wide Esc stops a draft).
            e.stopPropagation()
            return
          }
          if (isSubmitChord(e, mac)) {
            e.preventDefault()
            onSubmit()
          }
        }}
      />
      <SnippetPicker picker={picker} />
    </>
  )
}
