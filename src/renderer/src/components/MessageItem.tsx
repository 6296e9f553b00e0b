// One message of the transcript. Customers' words are shown as they wrote them (plain text); the agent's
// replies and the AI drafts are Markdown. Drafts are history here: collapsed, secondary.
import { memo, useEffect, useState, type ReactNode } from 'react'
import type { Message } from '../../../shared/domain'
import { MarkdownView } from '../markdown/MarkdownView'
import { draftFromMessage } from '../state/draft-state'
import { fullTime, relativeTime } from '../state/format-time'
import { DraftStats } from './DraftStats'
import { Icon } from './Icon'

export interface MessageItemProps {
  message: Message
  /** Just jumped to from a search: flashed, and a draft is shown open. */
  highlighted: boolean
  now: Date
}

const STATUS_LABEL: Record<Message['status'], string> = {
  streaming: 'drafting',
  complete: 'complete',
  stopped: 'stopped',
  error: 'failed',
  blocked: 'blocked',
  interrupted: 'interrupted',
}

function Time({ iso, now }: { iso: string; now: Date }) {
  return (
    <time className="message-time" dateTime={iso} title={fullTime(iso)}>
      {relativeTime(iso, now)}
    </time>
  )
}

export const MessageItem = memo(function MessageItem({ message, highlighted, now }: MessageItemProps) {
  const common = {
    'data-testid': 'message',
    'data-message-id': message.id,
    'data-role': message.role,
    'data-status': message.status,
  }
  const flash = highlighted ? ' is-flash' : ''
  const source = message.source !== 'app' ? <span className="source-badge">{message.source}</span> : null

  switch (message.role) {
    case 'customer':
      return (
        <li className={`message message-customer${flash}`} {...common}>
          <div className="message-meta">
            <span className="message-author">
              <Icon name="user" size={14} /> Customer
            </span>
            {source}
            <Time iso={message.createdAt} now={now} />
          </div>
          <div className="message-bubble">
            <p className="plain-text">{message.text}</p>
          </div>
        </li>
      )
    case 'agent':
      return (
        <li className={`message message-agent${flash}`} {...common}>
          <div className="message-meta">
            <span className="message-author">
              <Icon name="headset" size={14} /> Agent reply
            </span>
            {source}
            <Time iso={message.createdAt} now={now} />
          </div>
          <div className="message-bubble">
            <MarkdownView text={message.text} />
          </div>
        </li>
      )
    case 'assistant_draft':
      return <DraftHistoryItem message={message} highlighted={highlighted} now={now} common={common} source={source} />
    case 'system_note':
      return (
        <li className={`message message-note${flash}`} {...common}>
          <Icon name="info" size={14} />
          <span>{message.text}</span>
        </li>
      )
  }
})

interface DraftHistoryItemProps extends MessageItemProps {
  common: Record<string, string | number>
  source: ReactNode
}

/** A past draft, folded. Its Markdown is rendered only when opened: a long draft costs nothing until read. */
function DraftHistoryItem({ message, highlighted, now, common, source }: DraftHistoryItemProps) {
  const [open, setOpen] = useState(highlighted)
  // A jump from search opens it; the agent can still fold it again.
  useEffect(() => {
    if (highlighted) setOpen(true)
  }, [highlighted])
  return (
    <li className={`message message-draft${highlighted ? ' is-flash' : ''}`} {...common}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <Icon name="sparkles" size={14} />
          <span className="message-author">AI draft</span>
          <span className={`status-chip status-${message.status}`}>{STATUS_LABEL[message.status]}</span>
          {source}
          {message.model && <span className="muted">{message.model}</span>}
          <Time iso={message.createdAt} now={now} />
        </summary>
        {open && (
          <div className="draft-history-body">
            {message.text ? <MarkdownView text={message.text} /> : <p className="muted">(no text)</p>}
            {message.errorMessage && <p className="draft-history-error">{message.errorMessage}</p>}
            <DraftStats draft={draftFromMessage(message)} />
          </div>
        )}
      </details>
    </li>
  )
}
