// The left column: brand, new conversation, search, the list, and the way to settings and shortcuts.
import type { ConversationHit } from '../../../../shared/domain'
import { useDialogs } from '../../context/dialogs'
import type { ConversationSearch } from '../../hooks/useConversationSearch'
import { Icon } from '../Icon'
import { ConversationList } from './ConversationList'
import { SearchBox } from './SearchBox'

export interface SidebarProps {
  search: ConversationSearch
  selectedId: number | null
  creating: boolean
  onNew(): void
  onOpen(conversation: ConversationHit): void
  onRename(conversation: ConversationHit): void
  onDelete(conversation: ConversationHit): void
}

export function Sidebar({ search, selectedId, creating, onNew, onOpen, onRename, onDelete }: SidebarProps) {
  const { openSettings, openHelp, openSnippets } = useDialogs()
  const { list } = search
  return (
    <nav className="sidebar" aria-label="Conversations">
      <div className="sidebar-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="headset" size={18} />
          </span>
          <span className="brand-name">Support Console</span>
        </div>
        <button
          type="button"
          className="button button-primary button-block"
          onClick={onNew}
          disabled={creating}
          data-testid="new-conversation-button"
        >
          <Icon name="plus" />
          New conversation
        </button>
        <SearchBox value={search.query} onChange={search.setQuery} busy={search.searching} />
      </div>
      <div className="sidebar-list-heading">
        <span>{list.state.query ? 'Matching conversations' : 'Recent'}</span>
        {search.searching && <span className="spinner" role="status" aria-label="Searching" />}
      </div>
      <ConversationList
        state={list.state}
        selectedId={selectedId}
        onOpen={onOpen}
        onLoadMore={list.loadMore}
        onRetry={list.retry}
        onRename={onRename}
        onDelete={onDelete}
      />
      <div className="sidebar-footer">
        <button type="button" className="ghost-button" onClick={() => openSettings()} data-testid="settings-button">
          <Icon name="settings" />
          Settings
        </button>
        <button type="button" className="ghost-button" onClick={openSnippets} data-testid="snippets-button" title="Snippets: canned replies">
          <Icon name="snippet" />
          Snippets
        </button>
        <button type="button" className="ghost-button" onClick={openHelp} data-testid="shortcuts-button" title="Keyboard shortcuts (?)">
          <Icon name="keyboard" />
          Shortcuts
        </button>
      </div>
    </nav>
  )
}
