// A past draft in the transcript, folded. Its Markdown is rendered only when opened: a long draft costs
// nothing until read.
import { useEffect, useState, type ReactNode } from 'react'
import type { Message } from '../../../../shared/domain'
import { savedTruncationNotice } from '../../../../shared/truncation'
import { MarkdownView } from '../../markdown/MarkdownView'
import { TRUNCATION_TITLE } from '../../state/draft-errors'
import { draftFromMessage } from '../../state/draft-state'
import { fullTime } from '../../state/format-time'
import { draftKindLabel } from '../../state/rewrite-instructions'
import { DraftStats } from '../draft/DraftStats'
import { Icon } from '../Icon'
import { RelativeTime } from '../RelativeTime'
import { FeedbackButtons } from './FeedbackButtons'

const STATUS_LABEL: Record<Message['status'], string> = {
  streaming: 'drafting',
  complete: 'complete',
  stopped: 'stopped',
  error: 'failed',
  blocked: 'blocked',
  interrupted: 'interrupted',
  truncated: 'cut off',
}

/** When a message was written: relative, with the full time as its tooltip. */
export function MessageTime({ iso }: { iso: string }) {
  return <RelativeTime iso={iso} className="message-time" title={fullTime(iso)} />
}

export interface DraftHistoryItemProps {
  message: Message
  /** Just jumped to from a search: flashed and opened. */
  highlighted: boolean
  /** The data attributes every transcript item carries. */
  common: Record<string, string | number>
  source: ReactNode
}

export function DraftHistoryItem({ message, highlighted, common, source }: DraftHistoryItemProps) {
  const [open, setOpen] = useState(highlighted)
  // A cut-off draft says why, folded or open, so it is never taken for a whole reply.
  const cutOff = message.status === 'truncated' ? `${TRUNCATION_TITLE[savedTruncationNotice(message.finishReason).reason]}: not a whole reply.` : null
  // A jump from search opens it; the agent can still fold it again.
  useEffect(() => {
    if (highlighted) setOpen(true)
  }, [highlighted])
  return (
    <li className={`message message-draft${highlighted ? ' is-flash' : ''}`} {...common}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <Icon name="sparkles" size={14} />
          <span
            className="message-author draft-history-kind"
            title={draftKindLabel(message.kind, message.instruction)}
            data-testid="draft-history-kind"
          >
            {draftKindLabel(message.kind, message.instruction)}
          </span>
          <span className={`status-chip status-${message.status}`} title={cutOff ?? undefined} data-testid="draft-history-status">
            {STATUS_LABEL[message.status]}
          </span>
          {source}
          {message.model && <span className="muted">{message.model}</span>}
          <MessageTime iso={message.createdAt} />
        </summary>
        {open && (
          <div className="draft-history-body">
            {message.text ? <MarkdownView text={message.text} /> : <p className="muted">(no text)</p>}
            {cutOff && (
              <p className="draft-history-warning" data-testid="draft-history-truncation">
                {cutOff}
              </p>
            )}
            {message.errorMessage && <p className="draft-history-error">{message.errorMessage}</p>}
            <DraftStats draft={draftFromMessage(message)} />
            {message.status !== 'streaming' && <FeedbackButtons messageId={message.id} feedback={message.feedback} />}
          </div>
        )}
      </details>
    </li>
  )
}
