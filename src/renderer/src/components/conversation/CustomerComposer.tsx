// Where the agent records what the customer wrote (pasted from mail, chat or phone notes).
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { MAX_MESSAGE_CHARS } from '../../../../shared/limits'
import { useIsMac } from '../../context/platform'
import { isSubmitChord, shortcutKeys } from '../../state/shortcuts'
import { Icon } from '../Icon'

export interface CustomerComposerProps {
  onAdd(text: string): Promise<boolean>
  /** Put the cursor here when it appears (a conversation with no messages yet). */
  focusOnMount: boolean
}

export function CustomerComposer({ onAdd, focusOnMount }: CustomerComposerProps) {
  const mac = useIsMac()
  const shortcut = shortcutKeys('send-customer', mac)
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const input = useRef<HTMLTextAreaElement>(null)
  const tooLong = text.length > MAX_MESSAGE_CHARS
  const canSend = text.trim() !== '' && !tooLong && !busy

  const focusAtFirst = useRef(focusOnMount)
  useEffect(() => {
    if (focusAtFirst.current) input.current?.focus()
  }, [])

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault()
    if (!canSend) return
    setBusy(true)
    const ok = await onAdd(text)
    setBusy(false)
    if (ok) setText('')
  }

  return (
    <form className="composer" onSubmit={(e) => void submit(e)} aria-label="Add the customer's message">
      <label htmlFor="customer-message" className="composer-label">
        Customer message
      </label>
      <textarea
        ref={input}
        id="customer-message"
        className="composer-input"
        placeholder="Paste or type what the customer wrote…"
        value={text}
        rows={2}
        data-testid="customer-message-input"
        aria-invalid={tooLong}
        aria-describedby="customer-message-hint"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (isSubmitChord(e, mac)) {
            e.preventDefault()
            void submit()
          }
        }}
      />
      <div className="composer-actions">
        <span id="customer-message-hint" className={tooLong ? 'field-error' : 'muted small'}>
          {tooLong ? `Too long: ${text.length.toLocaleString()} of ${MAX_MESSAGE_CHARS.toLocaleString()} characters.` : `${shortcut} to add`}
        </span>
        <button
          type="submit"
          className="button"
          disabled={!canSend}
          data-testid="add-customer-message-button"
          title={`Add the customer's message (${shortcut})`}
        >
          <Icon name="send" />
          Add message
        </button>
      </div>
    </form>
  )
}
