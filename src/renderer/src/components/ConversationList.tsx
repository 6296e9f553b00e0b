// The conversation list: a listbox that renders only the rows in view (fixed row heights), so 10,000
// conversations keep a DOM of a few dozen rows. One tab stop; arrows move, Enter opens, F2 renames and
// Delete deletes the active row. Reaching the end of what is loaded fetches the next page.
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { ConversationHit } from '../../../shared/domain'
import type { ConversationListState } from '../state/conversation-list'
import { relativeTime } from '../state/format-time'
import { computeWindow, scrollTopToReveal, shouldLoadMore } from '../state/list-window'
import { Snippet } from './Snippet'

const ROW_HEIGHT = 64
const SEARCH_ROW_HEIGHT = 88
const OVERSCAN = 6
const LOAD_MORE_THRESHOLD = 15

export interface ConversationListProps {
  state: ConversationListState
  selectedId: number | null
  onOpen(conversation: ConversationHit): void
  onLoadMore(): void
  onRetry(): void
  onRename(conversation: ConversationHit): void
  onDelete(conversation: ConversationHit): void
  /** Clock for relative times, refreshed each minute by the parent. */
  now: Date
}

const optionId = (id: number): string => `conversation-option-${id}`

export function ConversationList({ state, selectedId, onOpen, onLoadMore, onRetry, onRename, onDelete, now }: ConversationListProps) {
  const scroller = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(600)
  const [active, setActive] = useState(0)
  const searching = state.query !== ''
  const rowHeight = searching ? SEARCH_ROW_HEIGHT : ROW_HEIGHT
  const { items } = state

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const observer = new ResizeObserver(() => setViewport(el.clientHeight))
    observer.observe(el)
    setViewport(el.clientHeight)
    return () => observer.disconnect()
  }, [])

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

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (items.length === 0) return
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 1)
    const clampedActive = Math.min(active, items.length - 1)
    let next: number
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(items.length - 1, clampedActive + 1)
        break
      case 'ArrowUp':
        next = Math.max(0, clampedActive - 1)
        break
      case 'PageDown':
        next = Math.min(items.length - 1, clampedActive + page)
        break
      case 'PageUp':
        next = Math.max(0, clampedActive - page)
        break
      case 'Home':
        next = 0
        break
      case 'End':
        next = items.length - 1
        break
      case 'Enter':
      case ' ': {
        const item = items[clampedActive]
        if (item) onOpen(item)
        event.preventDefault()
        return
      }
      case 'F2': {
        const item = items[clampedActive]
        if (item) onRename(item)
        event.preventDefault()
        return
      }
      case 'Delete': {
        const item = items[clampedActive]
        if (item) onDelete(item)
        event.preventDefault()
        return
      }
      default:
        return
    }
    event.preventDefault()
    setActive(next)
    reveal(next)
  }

  // Only a rendered row can be the active descendant; one scrolled out of the window is not in the DOM.
  const activeIndex = Math.min(active, items.length - 1)
  const activeItem = activeIndex >= win.start && activeIndex < win.end ? items[activeIndex] : undefined

  if (state.loading) {
    return (
      <div className="list-placeholder" data-testid="conversation-list-loading">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton-row" aria-hidden="true" />
        ))}
        <span className="visually-hidden">Loading conversations…</span>
      </div>
    )
  }

  if (items.length === 0) {
    return (
      <div className="list-empty" data-testid="conversation-list-empty">
        {state.error ? (
          <>
            <p>Could not load the conversations: {state.error}</p>
            <button type="button" className="button" onClick={onRetry}>
              Retry
            </button>
          </>
        ) : searching ? (
          <p>
            No messages match <strong>“{state.query}”</strong>.
          </p>
        ) : (
          <p>No conversations yet. Start one with “New conversation”.</p>
        )}
      </div>
    )
  }

  return (
    <div
      ref={scroller}
      className="conversation-list"
      role="listbox"
      aria-label={searching ? `Search results for ${state.query}` : 'Conversations, newest first'}
      tabIndex={0}
      aria-activedescendant={activeItem ? optionId(activeItem.id) : undefined}
      data-testid="conversation-list"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div className="conversation-list-inner" style={{ height: items.length * rowHeight + (state.loadingMore || state.error ? ROW_HEIGHT : 0) }}>
        {items.slice(win.start, win.end).map((conversation, i) => {
          const index = win.start + i
          return (
            <ConversationRow
              key={conversation.id}
              conversation={conversation}
              index={index}
              top={index * rowHeight}
              height={rowHeight}
              setSize={state.nextCursor ? -1 : items.length}
              selected={conversation.id === selectedId}
              active={index === active}
              now={now}
              onOpen={onOpen}
              onActivate={setActive}
            />
          )
        })}
        {(state.loadingMore || state.error) && (
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

interface RowProps {
  conversation: ConversationHit
  index: number
  top: number
  height: number
  setSize: number
  selected: boolean
  active: boolean
  now: Date
  onOpen(conversation: ConversationHit): void
  onActivate(index: number): void
}

const ConversationRow = memo(function ConversationRow({ conversation, index, top, height, setSize, selected, active, now, onOpen, onActivate }: RowProps) {
  const classes = ['conversation-row', selected && 'is-selected', active && 'is-active'].filter(Boolean).join(' ')
  return (
    <div
      id={optionId(conversation.id)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className={classes}
      style={{ top, height }}
      data-testid="conversation-item"
      data-conversation-id={conversation.id}
      onClick={() => {
        onActivate(index)
        onOpen(conversation)
      }}
    >
      <div className="conversation-row-top">
        <span className="conversation-title" data-testid="conversation-item-title">
          {conversation.title}
        </span>
        <time className="conversation-time" dateTime={conversation.updatedAt}>
          {relativeTime(conversation.updatedAt, now)}
        </time>
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
