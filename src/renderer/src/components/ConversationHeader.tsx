// The conversation's title (renamed in place), what it is, and its actions: export and delete.
import { useEffect, useRef, useState } from 'react'
import type { ExportFormat } from '../../../shared/api'
import type { Conversation } from '../../../shared/domain'
import { fullTime } from '../state/format-time'
import { Icon } from './Icon'

export interface ConversationHeaderProps {
  conversation: Conversation
  titleId: string
  /** Changes when the list asks for a rename (F2 there). */
  renameRequest: number
  onRename(title: string): Promise<boolean>
  onDelete(): void
  onExport(format: ExportFormat): void
}

const MAX_TITLE = 200

export function ConversationHeader({ conversation, titleId, renameRequest, onRename, onDelete, onExport }: ConversationHeaderProps) {
  const [editing, setEditing] = useState(false)
  const [draftTitle, setDraftTitle] = useState(conversation.title)
  const [saving, setSaving] = useState(false)
  const [exportOpen, setExportOpen] = useState(false)
  const inputRef = useRef<HTMLInputElement>(null)
  const renameButton = useRef<HTMLButtonElement>(null)
  const exportRef = useRef<HTMLDivElement>(null)

  const startEditing = (): void => {
    setDraftTitle(conversation.title)
    setEditing(true)
  }

  useEffect(() => {
    if (renameRequest > 0) startEditing()
    // Only a new request starts editing, not a title change.
  }, [renameRequest])

  useEffect(() => {
    if (editing) inputRef.current?.select()
  }, [editing])

  useEffect(() => {
    if (!exportOpen) return
    const close = (event: MouseEvent): void => {
      if (!exportRef.current?.contains(event.target as Node)) setExportOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [exportOpen])

  const finish = async (save: boolean): Promise<void> => {
    const title = draftTitle.trim()
    if (!save || title === conversation.title || title === '') {
      setEditing(false)
      return
    }
    setSaving(true)
    const ok = await onRename(title)
    setSaving(false)
    if (ok) {
      setEditing(false)
      renameButton.current?.focus()
    }
  }

  const count = conversation.messageCount
  return (
    <header className="conversation-header">
      <div className="conversation-heading">
        {editing ? (
          <input
            ref={inputRef}
            className="title-input"
            aria-label="Conversation title"
            value={draftTitle}
            maxLength={MAX_TITLE}
            disabled={saving}
            data-testid="rename-input"
            onChange={(e) => setDraftTitle(e.target.value)}
            onBlur={() => void finish(true)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                void finish(true)
              } else if (e.key === 'Escape') {
                e.preventDefault()
                setEditing(false)
                renameButton.current?.focus()
              }
            }}
          />
        ) : (
          <h1 id={titleId} className="conversation-heading-title" data-testid="conversation-title" onDoubleClick={startEditing} title={conversation.title}>
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
      </div>
      <div className="conversation-actions">
        <button ref={renameButton} type="button" className="icon-button" aria-label="Rename conversation" title="Rename (F2 in the list)" onClick={startEditing} data-testid="rename-button">
          <Icon name="pencil" />
        </button>
        <div className="menu-anchor" ref={exportRef}>
          <button
            type="button"
            className="icon-button"
            aria-label="Export transcript"
            title="Export transcript"
            aria-haspopup="menu"
            aria-expanded={exportOpen}
            onClick={() => setExportOpen((open) => !open)}
            data-testid="export-button"
          >
            <Icon name="download" />
          </button>
          {exportOpen && (
            <div
              className="menu"
              role="menu"
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault()
                  setExportOpen(false)
                }
              }}
            >
              {(
                [
                  ['markdown', 'Markdown (.md)'],
                  ['json', 'JSON (.json)'],
                ] as const
              ).map(([format, label], i) => (
                <button
                  key={format}
                  type="button"
                  role="menuitem"
                  className="menu-item"
                  autoFocus={i === 0}
                  data-testid={`export-${format}`}
                  onClick={() => {
                    setExportOpen(false)
                    onExport(format)
                  }}
                >
                  {label}
                </button>
              ))}
            </div>
          )}
        </div>
        <button type="button" className="icon-button icon-button-danger" aria-label="Delete conversation" title="Delete conversation" onClick={onDelete} data-testid="delete-conversation-button">
          <Icon name="trash" />
        </button>
      </div>
    </header>
  )
}
