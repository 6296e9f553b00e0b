// The sidebar's search box and the list it filters: the list follows the query once typing pauses.
import { useEffect, useState } from 'react'
import type { ReviewFilter } from '../state/review-filter'
import { filterKey } from '../state/review-filter'
import { useConversationList, type ConversationList } from './useConversationList'
import { useDebouncedValue } from './useDebouncedValue'

const SEARCH_DEBOUNCE_MS = 250

export interface ConversationSearch {
  query: string
  setQuery(query: string): void
  /** A search is under way: typing has not paused yet, or its first page is loading. */
  searching: boolean
  /** The words the list follows (typing paused): what a link to this search holds. */
  settledQuery: string
  list: ConversationList
}

/** The list follows the search words and the review filter (issue 9) together. */
export function useConversationSearch(filter: ReviewFilter = {}, initialQuery = ''): ConversationSearch {
  const [query, setQuery] = useState(initialQuery)
  const settledQuery = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS)
  const list = useConversationList(settledQuery, filter, filterKey(filter))

  // Conversations started by integrations meanwhile show up when the agent comes back to the window.
  const { refreshTop } = list
  useEffect(() => {
    window.addEventListener('focus', refreshTop)
    return () => window.removeEventListener('focus', refreshTop)
  }, [refreshTop])

  return { query, setQuery, list, settledQuery, searching: query.trim() !== settledQuery || (list.state.loading && settledQuery !== '') }
}
