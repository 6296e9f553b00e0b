// The left column: brand, new conversation, search, the list, and the way to settings and shortcuts.
import { forwardRef } from 'react'
import type { ConversationHit } from '../../../shared/domain'
import type { ConversationListState } from '../state/conversation-list'
import { ConversationList } from './ConversationList'
import { Icon } from './Icon'
import { SearchBox } from './SearchBox'

export interface SidebarProps {
  query: string
  onQueryChange(query: string): void
  searchShortcut: string
  list: ConversationListState
  searching: boolean
  selectedId: number | null
  now: Date
  creating: boolean
  onNew(): void
  onOpen(conversation: ConversationHit): void
  onLoadMore(): void
  onRetry(): void
  onRename(conversation: ConversationHit): void
  onDelete(conversation: ConversationHit): void
  onOpenSettings(): void
  onOpenHelp(): void
}

export const Sidebar = forwardRef<HTMLInputElement, SidebarProps>(function Sidebar(props, searchRef) {
  const { list } = props
  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="sidebar-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="headset" size={18} />
          </span>
          <span className="brand-name">Support Console</span>
        </div>
        <button type="button" className="button button-primary button-block" onClick={props.onNew} disabled={props.creating} data-testid="new-conversation-button">
          <Icon name="plus" />
          New conversation
        </button>
        <SearchBox ref={searchRef} value={props.query} onChange={props.onQueryChange} shortcut={props.searchShortcut} busy={props.searching} />
      </div>
      <div className="sidebar-list-heading">
        <span>{list.query ? 'Matching conversations' : 'Recent'}</span>
        {props.searching && <span className="spinner" role="status" aria-label="Searching" />}
      </div>
      <ConversationList
        state={list}
        selectedId={props.selectedId}
        onOpen={props.onOpen}
        onLoadMore={props.onLoadMore}
        onRetry={props.onRetry}
        onRename={props.onRename}
        onDelete={props.onDelete}
        now={props.now}
      />
      <div className="sidebar-footer">
        <button type="button" className="ghost-button" onClick={props.onOpenSettings} data-testid="settings-button">
          <Icon name="settings" />
          Settings
        </button>
        <button type="button" className="ghost-button" onClick={props.onOpenHelp} data-testid="shortcuts-button" title="Keyboard shortcuts (?)">
          <Icon name="keyboard" />
          Shortcuts
        </button>
      </div>
    </nav>
  )
})
