// Thumbs up or down on one draft (the current one and each in the history). Pressing the chosen one again
// takes it back; a thumbs down asks, optionally, what was wrong.
import { useRef, useState } from 'react'
import type { DraftFeedback } from '../../../../shared/steering'
import { useFeedback } from '../../hooks/useFeedback'
import { Icon } from '../Icon'
import { FeedbackReason } from './FeedbackReason'

export interface FeedbackButtonsProps {
  messageId: number
  feedback: DraftFeedback | null
}

export function FeedbackButtons({ messageId, feedback: saved }: FeedbackButtonsProps) {
  const { feedback, saving, save } = useFeedback(messageId, saved)
  const [asking, setAsking] = useState(false)
  const downButton = useRef<HTMLButtonElement>(null)
  const rating = feedback?.rating ?? null

  const thumbsDown = async (): Promise<void> => {
    if (rating === 'down') {
      setAsking(false)
      await save(null)
      return
    }
    // Saved at once: the reason is optional, and added when the agent gives one.
    if (await save('down')) setAsking(true)
  }
  const closeReason = (): void => {
    setAsking(false)
    downButton.current?.focus()
  }

  return (
    <div className="feedback" role="group" aria-label="Feedback on this draft" data-testid="draft-feedback" data-rating={rating ?? ''}>
      <button
        type="button"
        className="icon-button feedback-button"
        aria-label="Good draft"
        aria-pressed={rating === 'up'}
        title={rating === 'up' ? 'Marked as a good draft (click to take back)' : 'Good draft'}
        disabled={saving}
        onClick={() => {
          setAsking(false)
          void save(rating === 'up' ? null : 'up')
        }}
        data-testid="feedback-up"
      >
        <Icon name="thumbsUp" size={14} />
      </button>
      <span className="menu-anchor">
        <button
          ref={downButton}
          type="button"
          className="icon-button feedback-button"
          aria-label="Bad draft"
          aria-pressed={rating === 'down'}
          aria-expanded={asking}
          title={rating === 'down' ? `Marked as a bad draft${feedback?.reason ? `: ${feedback.reason}` : ''} (click to take back)` : 'Bad draft'}
          disabled={saving}
          onClick={() => void thumbsDown()}
          data-testid="feedback-down"
        >
          <Icon name="thumbsDown" size={14} />
        </button>
        {asking && (
          <FeedbackReason
            initial={feedback?.reason ?? ''}
            onSave={async (reason) => {
              if (await save('down', reason)) closeReason()
            }}
            onClose={closeReason}
          />
        )}
      </span>
      {rating === 'down' && feedback?.reason && !asking && (
        <span className="feedback-reason-text muted" data-testid="feedback-reason">
          “{feedback.reason}”
        </span>
      )}
    </div>
  )
}
