// The loaded part of the conversation list, and how it changes when pages arrive or the agent acts.
// Pure: unit-tested under Node.
import type { Conversation, ConversationHit, ConversationPage } from '../../../shared/domain'

export interface ConversationListState {
  /** The search the items belong to ('' for the plain newest-first list). */
  query: string
  items: ConversationHit[]
  nextCursor: string | null
  /** True until the first page of this query has arrived. */
  loading: boolean
  loadingMore: boolean
  error: string | null
}

export const emptyList = (query: string): ConversationListState => ({
  query,
  items: [],
  nextCursor: null,
  loading: true,
  loadingMore: false,
  error: null,
})

/**
 * Adds a page. Paging is by (updated_at, id), so a conversation that changed while the agent scrolled can
 * come again on a later page: the first occurrence is kept, so the list never shows it twice.
 */
export function appendPage(state: ConversationListState, page: ConversationPage, replace: boolean): ConversationListState {
  const base = replace ? [] : state.items
  const seen = new Set(base.map((c) => c.id))
  const items = [...base]
  for (const conversation of page.conversations) {
    if (seen.has(conversation.id)) continue
    seen.add(conversation.id)
    items.push(conversation)
  }
  return { ...state, items, nextCursor: page.nextCursor, loading: false, loadingMore: false, error: null }
}

/** A conversation that is new or just changed goes to the top, as newest-first ordering would put it. */
export function moveToTop(state: ConversationListState, conversation: Conversation): ConversationListState {
  // A search lists matches, not recent activity: a change there updates the row where it is.
  if (state.query !== '') return replaceConversation(state, conversation)
  const rest = state.items.filter((c) => c.id !== conversation.id)
  return { ...state, items: [{ ...conversation, hit: null }, ...rest] }
}

/**
 * A conversation seen again (opened, or changed by the agent): if it changed since the list loaded it, it
 * moves to the top as newest-first ordering would put it; otherwise its row is refreshed where it is.
 */
export function applyConversation(state: ConversationListState, conversation: Conversation): ConversationListState {
  const known = state.items.find((c) => c.id === conversation.id)
  if (known && known.updatedAt === conversation.updatedAt) return replaceConversation(state, conversation)
  return moveToTop(state, conversation)
}

/**
 * A fresh first page (after the window regains focus) merged into what is loaded: conversations started
 * elsewhere (integrations) appear on top, the rest stays where the agent scrolled it.
 */
export function mergeFirstPage(state: ConversationListState, page: ConversationPage): ConversationListState {
  if (state.items.length === 0) return appendPage(state, page, true)
  const fresh = new Set(page.conversations.map((c) => c.id))
  return { ...state, items: [...page.conversations, ...state.items.filter((c) => !fresh.has(c.id))], error: null }
}

export function replaceConversation(state: ConversationListState, conversation: Conversation): ConversationListState {
  let changed = false
  const items = state.items.map((c) => {
    if (c.id !== conversation.id) return c
    changed = true
    return { ...conversation, hit: c.hit }
  })
  return changed ? { ...state, items } : state
}

export function removeConversation(state: ConversationListState, id: number): ConversationListState {
  const items = state.items.filter((c) => c.id !== id)
  return items.length === state.items.length ? state : { ...state, items }
}
