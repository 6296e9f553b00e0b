// Opens the conversation's full timeline (every draft, what was sent, how much it was edited), printable.
import { useReview } from '../../context/review'
import { Icon } from '../Icon'

export function TimelineButton({ conversationId }: { conversationId: number }) {
  const { openTimeline } = useReview()
  return (
    <button
      type="button"
      className="icon-button"
      aria-label="Full timeline and print"
      title="Full timeline (every draft, what was sent) and print"
      onClick={() => openTimeline(conversationId)}
      data-testid="timeline-button"
    >
      <Icon name="eye" />
    </button>
  )
}
