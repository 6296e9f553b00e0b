// A menu or panel that opens from a button: closed by a click outside its anchor or by Escape (which gives the
// focus back to the button).
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'

export interface Popover {
  open: boolean
  setOpen(open: boolean): void
  toggle(): void
  anchor: React.RefObject<HTMLDivElement | null>
  /** On the popover: Escape closes it and refocuses the anchor's button. */
  onKeyDown(event: KeyboardEvent): void
}

export function usePopover(): Popover {
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

  const onKeyDown = useCallback((event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    event.stopPropagation()
    setOpen(false)
    anchor.current?.querySelector<HTMLButtonElement>('button')?.focus()
  }, [])

  return { open, setOpen, toggle: useCallback(() => setOpen((o) => !o), []), anchor, onKeyDown }
}
