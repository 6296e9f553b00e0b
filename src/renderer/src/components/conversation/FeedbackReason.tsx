// After a thumbs down: what was wrong with the draft, in the agent's words (optional). A small popover, not
// a modal: Esc or Skip closes it, and the thumbs down stays saved either way.
import { useEffect, useId, useRef, useState } from 'react'
import { MAX_FEEDBACK_REASON_CHARS } from '../../../../shared/limits'

export interface FeedbackReasonProps {
  initial: string
  onSave(reason: string | null): void
  onClose(): void
}

export function FeedbackReason({ initial, onSave, onClose }: FeedbackReasonProps) {
  const [reason, setReason] = useState(initial)
  const field = useRef<HTMLInputElement>(null)
  const labelId = useId()
  useEffect(() => field.current?.focus(), [])

  return (
    <form
      className="popover feedback-popover"
      role="dialog"
      aria-labelledby={labelId}
      data-testid="feedback-reason-form"
      onSubmit={(e) => {
        e.preventDefault()
        onSave(reason.trim() === '' ? null : reason.trim())
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          // Not the draft's Stop, nor a dialog around it.
          e.preventDefault()
          e.stopPropagation()
          onClose()
        }
      }}
    >
      <label id={labelId} htmlFor={`${labelId}-field`}>
        What was wrong? <span className="muted">(optional)</span>
      </label>
      <input
        ref={field}
        id={`${labelId}-field`}
        type="text"
        value={reason}
        maxLength={MAX_FEEDBACK_REASON_CHARS}
        placeholder="e.g. wrong refund policy"
        onChange={(e) => setReason(e.target.value)}
        data-testid="feedback-reason-input"
      />
      <div className="popover-actions">
        <button type="button" className="button" onClick={onClose}>
          Skip
        </button>
        <button type="submit" className="button button-primary" data-testid="feedback-reason-save">
          Save
        </button>
      </div>
    </form>
  )
}
