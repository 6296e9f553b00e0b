// The left column: brand, new conversation, search and the review filter, the list (with its checked rows'
// bulk actions), and the way to the dashboard, settings and shortcuts.
import { useMemo } from 'react'
import type { ConversationHit } from '../../../../shared/domain'
import { useDialogs } from '../../context/dialogs'
import { useBulkExport } from '../../hooks/useBulkExport'
import { useBulkSelection } from '../../hooks/useBulkSelection'
import type { ConversationSearch } from '../../hooks/useConversationSearch'
import type { ReviewLocation } from '../../hooks/useReviewLocation'
import { isEmptyFilter } from '../../state/review-filter'
import { Icon } from '../Icon'
import { BulkActions } from '../review/BulkActions'
import { ExportProgress } from '../review/ExportProgress'
import { FilterBar } from '../review/FilterBar'
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
  /** The review filter and the workspace's view (issue 9). */
  review: ReviewLocation
}

export function Sidebar({ search, selectedId, creating, onNew, onOpen, onRename, onDelete, review }: SidebarProps) {
  const { openSettings, openHelp, openSnippets } = useDialogs()
  const { list } = search
  const order = useMemo(() => list.state.items.map((c) => c.id), [list.state.items])
  const bulk = useBulkSelection(order)
  const exporter = useBulkExport()
  const filtered = !isEmptyFilter(review.filter)
  const dashboard = review.view.kind === 'dashboard'
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
        <FilterBar filter={review.filter} query={search.query} onChange={review.setFilter} onQueryChange={search.setQuery} exporter={exporter} />
      </div>
      <div className="sidebar-list-heading">
        <span>{list.state.query || filtered ? 'Matching conversations' : 'Recent'}</span>
        {search.searching && <span className="spinner" role="status" aria-label="Searching" />}
      </div>
      <ExportProgress exporter={exporter} />
      <BulkActions bulk={bulk} exporter={exporter} />
      {filtered && !list.state.loading && !list.state.error && list.state.items.length === 0 ? (
        <div className="list-empty" data-testid="conversation-list-empty">
          <p>No conversations match the filter{list.state.query ? ' and the search' : ''}.</p>
        </div>
      ) : (
        <ConversationList
          state={list.state}
          selectedId={selectedId}
          onOpen={onOpen}
          onLoadMore={list.loadMore}
          onRetry={list.retry}
          onRename={onRename}
          onDelete={onDelete}
          bulk={bulk}
        />
      )}
      <div className="sidebar-footer">
        <button
          type="button"
          className="ghost-button"
          aria-pressed={dashboard}
          onClick={() => review.setView(dashboard ? { kind: 'conversations' } : { kind: 'dashboard' })}
          data-testid="dashboard-button"
        >
          <Icon name="summary" />
          Dashboard
        </button>
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
