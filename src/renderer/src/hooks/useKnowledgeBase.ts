// The knowledge base's state for Settings: loaded when the section opens, and asked again every two seconds while
// it indexes (or for a little while after a change that it will notice on its own, such as added files, which the
// folder watcher picks up after a short pause), so progress and new documents show without a reload button.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { KnowledgeBaseView } from '../../../shared/knowledge'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'

const POLL_MS = 2000
/** How long to keep asking after a change, for the watcher to notice it and indexing to begin. */
const FOLLOW_MS = 10_000

export interface KnowledgeBaseLoad {
  view: KnowledgeBaseView | null
  error: string | null
  /** Asks again now, and keeps asking for a few seconds (something changed that indexing will pick up). */
  refresh(): void
}

export function useKnowledgeBase(): KnowledgeBaseLoad {
  const api = useApi()
  const [view, setView] = useState<KnowledgeBaseView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [followUntil, setFollowUntil] = useState(0)
  const mounted = useRef(true)

  const load = useCallback(async () => {
    try {
      const next = await api.getKnowledgeBase()
      if (!mounted.current) return
      setView(next)
      setError(null)
    } catch (failure) {
      if (mounted.current) setError(describeError(failure))
    }
  }, [api])

  useEffect(() => {
    mounted.current = true
    void load()
    return () => {
      mounted.current = false
    }
  }, [load])

  // Each answer schedules the next ask while there is reason to: a new view (or error) re-runs this effect.
  useEffect(() => {
    const following = Date.now() < followUntil
    if (view?.state !== 'indexing' && !following) return
    const timer = setTimeout(() => void load(), POLL_MS)
    return () => clearTimeout(timer)
  }, [view, error, followUntil, load])

  const refresh = useCallback(() => {
    setFollowUntil(Date.now() + FOLLOW_MS)
    void load()
  }, [load])

  return { view, error, refresh }
}
