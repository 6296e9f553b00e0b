// The conversation list for a query: first page on query change, next pages on demand, local updates
// when the agent creates, renames or deletes. Stale answers (an older query's page arriving late) are
// dropped, so fast typing in the search box never shows the wrong results.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { Conversation } from '../../../shared/domain'
import type { ConversationFilter } from '../../../shared/review'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { appendPage, applyConversation, emptyList, mergeFirstPage, removeConversation, type ConversationListState } from '../state/conversation-list'

export const PAGE_SIZE = 50

export interface ConversationList {
  state: ConversationListState
  loadMore(): void
  retry(): void
  /** Refreshes the top of the list (conversations started by integrations meanwhile). */
  refreshTop(): void
  applyConversation(conversation: Conversation): void
  remove(id: number): void
}

/** `filter` (the review filter, issue 9) narrows every page; the list reloads when its meaning changes (`filterKey`). */
export function useConversationList(query: string, filter: ConversationFilter = {}, filterKey = ''): ConversationList {
  const api = useApi()
  const filterRef = useRef(filter)
  const [state, setState] = useState<ConversationListState>(() => emptyList(query))
  // Bumped for every new first-page load; a page for an older generation is ignored.
  const generation = useRef(0)
  const stateRef = useRef(state)
  useLayoutEffect(() => {
    stateRef.current = state
    filterRef.current = filter
  })

  const loadFirst = useCallback(
    (q: string) => {
      const mine = ++generation.current
      setState(emptyList(q))
      api.listConversations({ ...filterRef.current, q: q || undefined, limit: PAGE_SIZE }).then(
        (page) => {
          if (generation.current === mine) setState((s) => appendPage(s, page, true))
        },
        (error: unknown) => {
          if (generation.current === mine) setState((s) => ({ ...s, loading: false, error: describeError(error) }))
        },
      )
    },
    [api],
  )

  useEffect(() => {
    filterRef.current = filter
    loadFirst(query)
    // The filter object may be new on every render; its key says when it means something else.
  }, [loadFirst, query, filterKey])

  const loadMore = useCallback(() => {
    const current = stateRef.current
    if (!current.nextCursor || current.loadingMore || current.loading) return
    const mine = generation.current
    const cursor = current.nextCursor
    setState((s) => ({ ...s, loadingMore: true }))
    api.listConversations({ ...filterRef.current, q: current.query || undefined, limit: PAGE_SIZE, cursor }).then(
      (page) => {
        if (generation.current === mine) setState((s) => (s.nextCursor === cursor ? appendPage(s, page, false) : { ...s, loadingMore: false }))
      },
      (error: unknown) => {
        if (generation.current === mine) setState((s) => ({ ...s, loadingMore: false, error: describeError(error) }))
      },
    )
  }, [api])

  const refreshTop = useCallback(() => {
    const current = stateRef.current
    if (current.loading || current.query !== '') return
    const mine = generation.current
    api.listConversations({ ...filterRef.current, limit: PAGE_SIZE }).then(
      (page) => {
        if (generation.current === mine) setState((s) => mergeFirstPage(s, page))
      },
      () => {
        // A background refresh that fails changes nothing; the next focus tries again.
      },
    )
  }, [api])

  return {
    state,
    loadMore,
    retry: useCallback(() => {
      const current = stateRef.current
      if (current.items.length > 0 && current.nextCursor) {
        setState((s) => ({ ...s, error: null }))
        loadMore()
      } else loadFirst(current.query)
    }, [loadFirst, loadMore]),
    refreshTop,
    applyConversation: useCallback((conversation: Conversation) => setState((s) => applyConversation(s, conversation)), []),
    remove: useCallback((id: number) => setState((s) => removeConversation(s, id)), []),
  }
}
