// One message of the transcript. Customers' words are shown as they wrote them (plain text); the agent's
// replies and the AI drafts are Markdown. Drafts are history here: collapsed, secondary.
import { memo } from 'react'
import type { Message } from '../../../../shared/domain'
import { MarkdownView } from '../../markdown/MarkdownView'
import { Icon } from '../Icon'
import { DraftHistoryItem, MessageTime } from './DraftHistoryItem'

export interface MessageItemProps {
  message: Message
  /** Just jumped to from a search: flashed, and a draft is shown open. */
  highlighted: boolean
}

export const MessageItem = memo(function MessageItem({ message, highlighted }: MessageItemProps) {
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
            <MessageTime iso={message.createdAt} />
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
            <MessageTime iso={message.createdAt} />
          </div>
          <div className="message-bubble">
            <MarkdownView text={message.text} />
          </div>
        </li>
      )
    case 'assistant_draft':
      return <DraftHistoryItem message={message} highlighted={highlighted} common={common} source={source} />
    case 'system_note':
      return (
        <li className={`message message-note${flash}`} {...common}>
          <Icon name="info" size={14} />
          <span>{message.text}</span>
        </li>
      )
  }
})
