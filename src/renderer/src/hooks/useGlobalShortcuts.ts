// App-wide shortcuts (draft, stop, search, help), each registered by the component that owns what it does
// (the open conversation drafts and stops, the search box focuses itself, the dialogs open help). Fields and
// dialogs handle their own keys first: a key they used (defaultPrevented), or any key while a modal dialog
// is open, is not a shortcut.
import { useEffect, useRef } from 'react'
import { matchGlobalShortcut, type ShortcutId } from '../state/shortcuts'
import { useIsMac } from '../context/platform'

type Handlers = Partial<Record<ShortcutId, () => boolean | void>>

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && !['button', 'checkbox', 'radio', 'submit', 'reset'].includes(target.type)
}

/** Each handler returns false when it did not apply (then the key keeps its usual meaning). */
export function useGlobalShortcuts(handlers: Handlers): void {
  const ref = useRef(handlers)
  useEffect(() => {
    ref.current = handlers
  })

  const mac = useIsMac()
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return
      if (document.querySelector('dialog[open]')) return
      const id = matchGlobalShortcut(event, mac, isTypingTarget(event.target))
      if (!id) return
      const handler = ref.current[id]
      if (!handler) return
      if (handler() === false) return
      event.preventDefault()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [mac])
}
