// A draft in the full timeline, always open: its kind and outcome, text, metrics, the passages it cited, the
// agent's feedback, and whether (and how much edited) it became the reply.
import type { Message } from '../../../../shared/domain'
import type { ReplyUse } from '../../../../shared/review'
import { MarkdownView } from '../../markdown/MarkdownView'
import { sortedSources, sourceTitle } from '../../state/draft-sources'
import { draftFromMessage } from '../../state/draft-state'
import { draftKindLabel } from '../../state/rewrite-instructions'
import { OUTCOME_LABEL } from '../../state/review-filter'
import { editSummary } from '../../state/review-timeline'
import { MessageTime } from '../conversation/DraftHistoryItem'
import { DraftStats } from '../draft/DraftStats'
import { Icon } from '../Icon'

export function TimelineDraft({ message, uses }: { message: Message; uses: readonly ReplyUse[] }) {
  const status = message.status === 'streaming' ? 'Drafting' : OUTCOME_LABEL[message.status]
  return (
    <li className="timeline-item timeline-draft" data-testid="timeline-draft" data-message-id={message.id} data-status={message.status}>
      <div className="message-meta">
        <span className="message-author">
          <Icon name="sparkles" size={14} /> {draftKindLabel(message.kind, message.instruction)}
        </span>
        <span className={`status-chip status-${message.status}`}>{status}</span>
        {message.model && <span className="muted">{message.model}</span>}
        <MessageTime iso={message.createdAt} />
        {uses.length > 0 ? (
          <span className="timeline-used" data-testid="timeline-draft-used">
            Used for the reply · {editSummary(uses[0] as ReplyUse)}
          </span>
        ) : (
          <span className="muted small">Not used</span>
        )}
      </div>
      <div className="timeline-draft-body">
        {message.text ? <MarkdownView text={message.text} /> : <p className="muted">(no text)</p>}
        {message.errorMessage && <p className="draft-history-error">{message.errorMessage}</p>}
        <DraftStats draft={draftFromMessage(message)} />
        {message.sources.length > 0 && (
          <div className="timeline-sources">
            <h4>Sources</h4>
            <ol>
              {sortedSources(message.sources).map((source) => (
                <li key={source.n}>
                  [{source.n}] {sourceTitle(source)} <span className="muted">— {source.path}</span>
                </li>
              ))}
            </ol>
          </div>
        )}
        {message.feedback && (
          <p className="timeline-feedback" data-testid="timeline-feedback">
            <Icon name={message.feedback.rating === 'up' ? 'thumbsUp' : 'thumbsDown'} size={14} />
            {message.feedback.rating === 'up' ? 'Rated up' : 'Rated down'}
            {message.feedback.reason && `: ${message.feedback.reason}`}
          </p>
        )}
      </div>
    </li>
  )
}
