// The conversation's title (renamed in place), what it is, and its actions: export and delete.
// Whether the title is being edited is the console's state (the list's F2 starts it too), not the header's.
import { useRef } from 'react'
import type { ExportFormat } from '../../../../shared/api'
import type { Conversation } from '../../../../shared/domain'
import type { SummaryControls } from '../../hooks/useSummary'
import { fullTime } from '../../state/format-time'
import { Icon } from '../Icon'
import { ConversationTags } from '../review/ConversationTags'
import { TimelineButton } from '../review/TimelineButton'
import { ExportMenu } from './ExportMenu'
import { SummaryButton } from './SummaryButton'
import { TitleEditor } from './TitleEditor'

export interface ConversationHeaderProps {
  conversation: Conversation
  titleId: string
  editing: boolean
  onEditingChange(editing: boolean): void
  onRename(title: string): Promise<boolean>
  onDelete(): void
  onExport(format: ExportFormat): void
  summary: SummaryControls
}

export function ConversationHeader({
  conversation,
  titleId,
  editing,
  onEditingChange,
  onRename,
  onDelete,
  onExport,
  summary,
}: ConversationHeaderProps) {
  const renameButton = useRef<HTMLButtonElement>(null)
  const startEditing = (): void => onEditingChange(true)
  const stopEditing = (refocus: boolean): void => {
    onEditingChange(false)
    if (refocus) renameButton.current?.focus()
  }

  const count = conversation.messageCount
  return (
    <header className="conversation-header">
      <div className="conversation-heading">
        {editing ? (
          <TitleEditor title={conversation.title} onSave={onRename} onDone={stopEditing} />
        ) : (
          <h1
            id={titleId}
            className="conversation-heading-title"
            data-testid="conversation-title"
            onDoubleClick={startEditing}
            title={conversation.title}
          >
            {conversation.title}
          </h1>
        )}
        <p className="conversation-subtitle">
          {count === 1 ? '1 message' : `${count} messages`} · started {fullTime(conversation.createdAt)}
          {conversation.source !== 'app' && (
            <>
              {' '}
              · via <span className="source-badge">{conversation.source}</span>
            </>
          )}
        </p>
        <ConversationTags conversationId={conversation.id} />
      </div>
      <div className="conversation-actions">
        <SummaryButton controls={summary} empty={conversation.messageCount === 0} />
        <TimelineButton conversationId={conversation.id} />
        <button
          ref={renameButton}
          type="button"
          className="icon-button"
          aria-label="Rename conversation"
          title="Rename (F2 in the list)"
          onClick={startEditing}
          data-testid="rename-button"
        >
          <Icon name="pencil" />
        </button>
        <ExportMenu onExport={onExport} />
        <button
          type="button"
          className="icon-button icon-button-danger"
          aria-label="Delete conversation"
          title="Delete conversation"
          onClick={onDelete}
          data-testid="delete-conversation-button"
        >
          <Icon name="trash" />
        </button>
      </div>
    </header>
  )
}
