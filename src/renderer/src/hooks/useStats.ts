// The dashboard's figures for a filter (getStats), reloaded when the filter means something else; an older
// answer arriving late is dropped.
import { useEffect, useState } from 'react'
import type { ConversationFilter, ReviewStats } from '../../../shared/review'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { filterKey } from '../state/review-filter'

export interface StatsState {
  stats: ReviewStats | null
  loading: boolean
  error: string | null
}

export function useStats(filter: ConversationFilter): StatsState {
  const api = useApi()
  const key = filterKey(filter)
  const [state, setState] = useState<StatsState>({ stats: null, loading: true, error: null })

  useEffect(() => {
    let current = true
    setState((s) => ({ ...s, loading: true }))
    api.getStats(filter).then(
      (stats) => current && setState({ stats, loading: false, error: null }),
      (error: unknown) => current && setState((s) => ({ ...s, loading: false, error: describeError(error) })),
    )
    return () => {
      current = false
    }
    // `filter` is a new object on every render; its key says when it asks something else.
  }, [api, key])

  return state
}
