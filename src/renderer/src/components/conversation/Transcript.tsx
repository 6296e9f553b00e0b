// The conversation so far, oldest first. It follows new messages only while the agent is at the bottom,
// and a jump from a search scrolls the hit into view and flashes it.
import { useEffect, useId, useRef, useState } from 'react'
import type { Message } from '../../../../shared/domain'
import { useFollowScroll } from '../../hooks/useFollowScroll'
import type { FocusRequest } from '../../state/selection'
import { Icon } from '../Icon'
import { MessageItem } from './MessageItem'

export interface TranscriptProps {
  messages: readonly Message[]
  /** The message to jump to (a search hit), if any. */
  focus: FocusRequest | null
}

const FLASH_MS = 2400

export function Transcript({ messages, focus }: TranscriptProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const labelId = useId()
  const follow = useFollowScroll(scroller, messages.length)
  const [flashId, setFlashId] = useState<number | null>(null)
  const handled = useRef<number | null>(null)
  const { detach } = follow

  useEffect(() => {
    if (!focus || handled.current === focus.nonce) return
    const el = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${focus.messageId}"]`)
    if (!el) return
    handled.current = focus.nonce
    detach()
    setFlashId(focus.messageId)
    // After the draft (if it is one) has opened, so the whole hit is brought into view.
    // A hit taller than the view is shown from its start, anything else centred.
    requestAnimationFrame(() => el.scrollIntoView({ block: el.offsetHeight > (scroller.current?.clientHeight ?? 0) ? 'start' : 'center' }))
    const timer = setTimeout(() => setFlashId(null), FLASH_MS)
    return () => clearTimeout(timer)
  }, [focus, messages, detach])

  return (
    <section className="transcript-wrap" aria-labelledby={`${labelId}`}>
      <h2 id={labelId} className="visually-hidden">
        Transcript
      </h2>
      {/* Focusable, so the transcript can be scrolled with the keyboard. */}
      <div
        ref={scroller}
        className="transcript"
        onScroll={follow.onScroll}
        tabIndex={0}
        aria-labelledby={labelId}
        role="region"
        data-testid="transcript"
      >
        {messages.length === 0 ? (
          <div className="transcript-empty">
            <Icon name="message" size={28} />
            <p>No messages yet.</p>
            <p className="muted">Paste the customer’s message below, then draft a reply.</p>
          </div>
        ) : (
          <ol className="message-list">
            {messages.map((m) => (
              <MessageItem key={m.id} message={m} highlighted={m.id === flashId} />
            ))}
          </ol>
        )}
      </div>
      {follow.detached && messages.length > 0 && (
        <button type="button" className="jump-button" onClick={follow.jumpToLatest} data-testid="transcript-jump-to-latest">
          <Icon name="arrowDown" />
          Latest message
        </button>
      )}
    </section>
  )
}
