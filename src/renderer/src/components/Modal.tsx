// A modal dialog on the native <dialog>: the browser traps focus, makes the rest inert and closes it with
// Escape (routed to onClose so React stays in charge of whether it is open).
import { useEffect, useId, useRef, type ReactNode } from 'react'
import { Icon } from './Icon'

export interface ModalProps {
  title: string
  onClose(): void
  children: ReactNode
  footer?: ReactNode
  testId?: string
  /** Wide dialogs hold forms; narrow ones confirm. */
  size?: 'narrow' | 'wide'
  /** A click on the backdrop closes (only where nothing typed could be lost). */
  closeOnBackdrop?: boolean
}

export function Modal({ title, onClose, children, footer, testId, size = 'narrow', closeOnBackdrop = false }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    // showModal focuses the first focusable element; a dialog that knows better marks it data-autofocus
    // (React's autoFocus prop runs before showModal and would be overridden).
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    return () => dialog?.close()
  }, [])

  return (
    <dialog
      ref={ref}
      className={`modal modal-${size}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault()
        // React bubbles the event through the component tree: a dialog opened from inside another must not close both.
        event.stopPropagation()
        onClose()
      }}
      onClick={(event) => {
        if (closeOnBackdrop && event.target === ref.current) onClose()
      }}
    >
      <div className="modal-frame">
        <header className="modal-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={onClose}>
            <Icon name="x" />
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-footer">{footer}</footer>}
      </div>
    </dialog>
  )
}
