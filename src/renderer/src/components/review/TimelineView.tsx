// A conversation's full timeline for review: customer messages, every draft (used or not, rewrites included)
// with its metrics, sources and feedback, and each reply sent with how much the agent changed the draft.
// Print uses the browser's print (the desktop app's window prints the same way), styled by review.css.
import { useId, useMemo } from 'react'
import { useConversationReview } from '../../hooks/useConversationReview'
import { fullTime } from '../../state/format-time'
import { editSummary, indexReplyUses } from '../../state/review-timeline'
import { MessageItem } from '../conversation/MessageItem'
import { MarkdownView } from '../../markdown/MarkdownView'
import { MessageTime } from '../conversation/DraftHistoryItem'
import { Icon } from '../Icon'
import { TagChip } from './TagChip'
import { TimelineDraft } from './TimelineDraft'

export function TimelineView({ conversationId, onClose }: { conversationId: number; onClose(): void }) {
  const titleId = useId()
  const { review, error, reload } = useConversationReview(conversationId, 0)
  const uses = useMemo(() => indexReplyUses(review?.uses ?? []), [review])

  if (!review) {
    return (
      <main className="timeline-view" data-testid="timeline-view" aria-busy={!error}>
        {error ? (
          <p role="alert">
            Could not load the timeline: {error}{' '}
            <button type="button" className="link-button" onClick={reload}>
              Retry
            </button>
          </p>
        ) : (
          <p className="muted">Loading the timeline…</p>
        )}
      </main>
    )
  }
  const { conversation, tags, messages } = review
  return (
    <main className="timeline-view print-root" aria-labelledby={titleId} data-testid="timeline-view" data-conversation-id={conversationId}>
      <header className="timeline-header">
        <div>
          <h1 id={titleId}>{conversation.title}</h1>
          <p className="muted">
            Started {fullTime(conversation.createdAt)} · last activity {fullTime(conversation.updatedAt)} · via {conversation.source} ·{' '}
            {messages.length} messages and drafts
          </p>
          {tags.length > 0 && (
            <ul className="tag-list" aria-label="Tags">
              {tags.map((tag) => (
                <li key={tag.id}>
                  <TagChip tag={tag} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="timeline-actions no-print">
          <button type="button" className="button" onClick={() => window.print()} data-testid="print-button">
            <Icon name="external" />
            Print
          </button>
          <button type="button" className="button" onClick={onClose} data-testid="timeline-close">
            Back
          </button>
        </div>
      </header>
      <ol className="timeline message-list" data-testid="timeline">
        {messages.map((m) => {
          if (m.role === 'assistant_draft') return <TimelineDraft key={m.id} message={m} uses={uses.byDraft.get(m.id) ?? []} />
          const use = m.role === 'agent' ? uses.byReply.get(m.id) : undefined
          if (!use) return <MessageItem key={m.id} message={m} highlighted={false} />
          return (
            <li key={m.id} className="timeline-item message message-agent" data-testid="timeline-reply" data-message-id={m.id}>
              <div className="message-meta">
                <span className="message-author">
                  <Icon name="headset" size={14} /> Agent reply
                </span>
                <span className="timeline-used" data-testid="timeline-edit">
                  From draft #{use.draftId} · {editSummary(use)} · similarity {use.similarity.toFixed(3)}
                </span>
                <MessageTime iso={m.createdAt} />
              </div>
              <div className="message-bubble">
                <MarkdownView text={m.text} />
              </div>
            </li>
          )
        })}
      </ol>
    </main>
  )
}
