// The reply editor's snippet picker: opened by a `/` at the start of a word or by Ctrl/⌘+/, filtered by what
// is typed after it, moved with ↑ ↓, chosen with Enter (or Tab, or a click), closed with Esc. The chosen
// snippet replaces what was typed for it, with its placeholders filled where known; the first one left is
// selected so the agent can type over it. Focus stays in the editor throughout (aria-activedescendant).
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { Snippet } from '../../../shared/steering'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useIsMac } from '../context/platform'
import { filterSnippets, movePickerIndex, pickerQuery, replaceRange, slashAnchor, type PickerAnchor } from '../state/snippet-picker'
import { fillPlaceholders, type PlaceholderValues } from '../state/snippet-placeholders'
import { isSnippetChord } from '../state/shortcuts'

export interface SnippetPickerControls {
  open: boolean
  /** The matching snippets (null while they load), and why they could not be loaded. */
  options: Snippet[] | null
  error: string | null
  active: number
  listboxId: string
  optionId(index: number): string
  /** The editor's text or cursor changed: follow it. */
  track(editor: HTMLTextAreaElement): void
  /** The editor's keys, first: true when the picker used the key. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean
  choose(snippet: Snippet): void
  setActive(index: number): void
  close(): void
}

export function useSnippetPicker(text: string, onChange: (text: string) => void, values: PlaceholderValues): SnippetPickerControls {
  const api = useApi()
  const mac = useIsMac()
  const listboxId = useId()
  const editor = useRef<HTMLTextAreaElement | null>(null)
  const [anchor, setAnchor] = useState<PickerAnchor | null>(null)
  const [cursor, setCursor] = useState(0)
  // A `/` the agent closed the picker on (Esc) does not open it again.
  const [dismissed, setDismissed] = useState<number | null>(null)
  const [active, setActive] = useState(0)
  const [snippets, setSnippets] = useState<Snippet[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  // Where the cursor goes once the editor shows the text with the snippet in it (set in the same commit, before
  // the agent's next key press can land anywhere else).
  const pendingSelection = useRef<{ text: string; from: number; to: number } | null>(null)
  useLayoutEffect(() => {
    const pending = pendingSelection.current
    const el = editor.current
    if (!pending || !el || el.value !== pending.text) return
    pendingSelection.current = null
    el.focus()
    el.setSelectionRange(pending.from, pending.to)
    setCursor(pending.to)
  })

  const query = anchor ? pickerQuery(text, cursor, anchor) : null
  const open = query !== null
  const options = snippets && query !== null ? filterSnippets(snippets, query) : null

  // Loaded each time it opens, so a snippet made a moment ago in the dialog is there.
  useEffect(() => {
    if (!open) return
    let current = true
    setSnippets(null)
    api.listSnippets({}).then(
      (found) => {
        if (!current) return
        setSnippets(found)
        setError(null)
      },
      (e: unknown) => {
        if (current) setError(describeError(e))
      },
    )
    return () => {
      current = false
    }
  }, [open, api])
  useEffect(() => setActive(0), [query])

  const track = (el: HTMLTextAreaElement): void => {
    editor.current = el
    const at = el.selectionStart
    setCursor(at)
    if (anchor && !anchor.slash && pickerQuery(el.value, at, anchor) !== null) return
    const slash = slashAnchor(el.value, at)
    setAnchor(slash && slash.start !== dismissed ? slash : null)
  }

  const close = (): void => {
    if (anchor) setDismissed(anchor.start)
    setAnchor(null)
  }

  const choose = (snippet: Snippet): void => {
    if (!anchor) return
    const filled = fillPlaceholders(snippet.body, values)
    const { text: next, insertedAt } = replaceRange(text, anchor.start, cursor, filled.text)
    setAnchor(null)
    onChange(next)
    const [from, to] = filled.unfilled
      ? [insertedAt + filled.unfilled.start, insertedAt + filled.unfilled.end]
      : [insertedAt + filled.text.length, insertedAt + filled.text.length]
    pendingSelection.current = { text: next, from, to }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    editor.current = event.currentTarget
    if (isSnippetChord(event, mac)) {
      const at = event.currentTarget.selectionStart
      setCursor(at)
      setAnchor({ start: at, slash: false })
      return true
    }
    if (!open) return false
    const count = options?.length ?? 0
    const moved = movePickerIndex(active, count, event.key)
    if (moved !== null && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) setActive(moved)
    else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && options?.[active]) choose(options[active])
    else if (event.key === 'Escape') close()
    else return false
    return true
  }

  return { open, options, error, active, listboxId, optionId: (i) => `${listboxId}-option-${i}`, track, onKeyDown, choose, setActive, close }
}
