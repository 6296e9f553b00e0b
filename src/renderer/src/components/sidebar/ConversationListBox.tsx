// The loaded conversations as a listbox that renders only the rows in view (fixed row heights), so 10,000
// conversations keep a DOM of a few dozen rows. One tab stop; arrows move, Enter opens, F2 renames and
// Delete deletes the active row. Reaching the end of what is loaded fetches the next page.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { ConversationHit } from '../../../../shared/domain'
import type { BulkControls } from '../../hooks/useBulkSelection'
import { useElementHeight } from '../../hooks/useElementHeight'
import { bulkKeyAction } from '../../state/bulk-selection'
import type { ConversationListState } from '../../state/conversation-list'
import { listKeyAction } from '../../state/list-keys'
import { computeWindow, scrollTopToReveal, shouldLoadMore } from '../../state/list-window'
import { ConversationRow, optionId, type RowPress } from './ConversationRow'

const ROW_HEIGHT = 64
const SEARCH_ROW_HEIGHT = 88
const OVERSCAN = 6
const LOAD_MORE_THRESHOLD = 15

export interface ConversationListBoxProps {
  state: ConversationListState
  selectedId: number | null
  onOpen(conversation: ConversationHit): void
  onLoadMore(): void
  onRetry(): void
  onRename(conversation: ConversationHit): void
  onDelete(conversation: ConversationHit): void
  /** The rows checked for a bulk action. */
  bulk: BulkControls
}

export function ConversationListBox({ state, selectedId, onOpen, onLoadMore, onRetry, onRename, onDelete, bulk }: ConversationListBoxProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const viewport = useElementHeight(scroller, 600)
  const [scrollTop, setScrollTop] = useState(0)
  const [active, setActive] = useState(0)
  const searching = state.query !== ''
  const rowHeight = searching ? SEARCH_ROW_HEIGHT : ROW_HEIGHT
  const { items } = state

  // A new query starts at the top.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0
    setScrollTop(0)
    setActive(0)
  }, [state.query])

  // The open conversation is the active row when it is in the list.
  useEffect(() => {
    if (selectedId === null) return
    const index = items.findIndex((c) => c.id === selectedId)
    if (index >= 0) setActive(index)
  }, [selectedId, items])

  const win = computeWindow({ scrollTop, viewportHeight: viewport, rowHeight, count: items.length, overscan: OVERSCAN })

  useEffect(() => {
    if (state.nextCursor && !state.loadingMore && !state.error && shouldLoadMore(win, items.length, LOAD_MORE_THRESHOLD)) onLoadMore()
  }, [win.start, win.end, items.length, state.nextCursor, state.loadingMore, state.error, onLoadMore])

  const reveal = useCallback(
    (index: number) => {
      const el = scroller.current
      if (!el) return
      const top = scrollTopToReveal(index, rowHeight, el.scrollTop, el.clientHeight)
      if (top !== null) el.scrollTop = top
    },
    [rowHeight],
  )

  const onPress = useCallback(
    (index: number, conversation: ConversationHit, how: RowPress): void => {
      setActive(index)
      if (how === 'open') onOpen(conversation)
      else if (how === 'range') bulk.range(conversation.id)
      else bulk.toggle(conversation.id)
    },
    [onOpen, bulk],
  )

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const bulkAction = bulkKeyAction(event, bulk.checked.size > 0)
    if (bulkAction) {
      event.preventDefault()
      bulk.key(bulkAction, items[Math.min(active, items.length - 1)]?.id ?? null)
      return
    }
    const action = listKeyAction(event.key, active, items.length, Math.max(1, Math.floor(viewport / rowHeight) - 1))
    if (!action) return
    event.preventDefault()
    const item = items[action.index]
    if (action.type === 'move') {
      setActive(action.index)
      reveal(action.index)
    } else if (item) {
      if (action.type === 'open') onOpen(item)
      else if (action.type === 'rename') onRename(item)
      else onDelete(item)
    }
  }

  // Only a rendered row can be the active descendant; one scrolled out of the window is not in the DOM.
  const activeIndex = Math.min(active, items.length - 1)
  const activeItem = activeIndex >= win.start && activeIndex < win.end ? items[activeIndex] : undefined
  const footer = state.loadingMore || state.error

  return (
    <div
      ref={scroller}
      className="conversation-list"
      role="listbox"
      aria-label={searching ? `Search results for ${state.query}` : 'Conversations, newest first'}
      aria-description="Ctrl+Space or X checks a conversation for bulk actions; Shift+Space checks a run"
      tabIndex={0}
      aria-activedescendant={activeItem ? optionId(activeItem.id) : undefined}
      data-testid="conversation-list"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="conversation-list-inner" style={{ height: items.length * rowHeight + (footer ? ROW_HEIGHT : 0) }}>
        {items.slice(win.start, win.end).map((conversation, i) => (
          <ConversationRow
            key={conversation.id}
            conversation={conversation}
            index={win.start + i}
            height={rowHeight}
            setSize={state.nextCursor ? -1 : items.length}
            selected={conversation.id === selectedId}
            active={win.start + i === active}
            checked={bulk.checked.has(conversation.id)}
            onPress={onPress}
          />
        ))}
        {footer && (
          <div className="list-footer" style={{ top: items.length * rowHeight }}>
            {state.error ? (
              <>
                <span>Could not load more.</span>
                <button type="button" className="link-button" onClick={onRetry}>
                  Retry
                </button>
              </>
            ) : (
              'Loading more…'
            )}
          </div>
        )}
      </div>
    </div>
  )
}
