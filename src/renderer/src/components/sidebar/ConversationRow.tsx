// One row of the conversation list: title, last change, and either the search snippet or the message count.
import { memo } from 'react'
import type { ConversationHit } from '../../../../shared/domain'
import { RelativeTime } from '../RelativeTime'
import { Snippet } from './Snippet'

export const optionId = (id: number): string => `conversation-option-${id}`

export interface ConversationRowProps {
  conversation: ConversationHit
  /** Position in the whole list; the row is placed at index × height. */
  index: number
  height: number
  /** The list's length, or -1 while more pages may follow. */
  setSize: number
  selected: boolean
  active: boolean
  /** Checked for a bulk action (issue 9). */
  checked: boolean
  /** A click: open the row, or (on its box, or with Ctrl/⌘ or Shift) check it or the run up to it. */
  onPress(index: number, conversation: ConversationHit, how: RowPress): void
}

export type RowPress = 'open' | 'toggle' | 'range'

export const ConversationRow = memo(function ConversationRow({
  conversation,
  index,
  height,
  setSize,
  selected,
  active,
  checked,
  onPress,
}: ConversationRowProps) {
  const classes = ['conversation-row', selected && 'is-selected', active && 'is-active', checked && 'is-checked'].filter(Boolean).join(' ')
  return (
    <div
      id={optionId(conversation.id)}
      role="option"
      aria-selected={selected}
      aria-checked={checked}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={classes}
      style={{ top: index * height, height }}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      // The summary on hover, so the agent sees what a conversation is about before opening it.
      title={conversation.summary ? `Summary: ${conversation.summary}` : undefined}
      onClick={(e) => onPress(index, conversation, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'open')}
    >
      {/* The box is for the mouse; the keyboard checks with Ctrl/⌘+Space or X, and the row says aria-checked. */}
      <span
        className="row-check"
        aria-hidden="true"
        data-testid="conversation-check"
        onClick={(e) => {
          e.stopPropagation()
          onPress(index, conversation, e.shiftKey ? 'range' : 'toggle')
        }}
      />
      <div className="conversation-row-top">
        <span className="conversation-title" data-testid="conversation-item-title">
          {conversation.title}
        </span>
        <RelativeTime iso={conversation.updatedAt} className="conversation-time" />
      </div>
      {conversation.hit ? (
        <div className="conversation-row-snippet">
          <Snippet text={conversation.hit.snippet} />
        </div>
      ) : (
        <div className="conversation-row-meta">
          {conversation.messageCount === 0 ? 'No messages' : conversation.messageCount === 1 ? '1 message' : `${conversation.messageCount} messages`}
          {conversation.source !== 'app' && <span className="source-badge">{conversation.source}</span>}
        </div>
      )}
    </div>
  )
})
