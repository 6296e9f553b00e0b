// The review filter and the workspace's view, and in web mode their place in the address bar: the page opens on
// the filter, words and view its link holds, and every change is written back (replaceState: the filter is a
// view of the list, not a page to go Back through). The desktop app has no address bar to keep them in.
import { useEffect, useState } from 'react'
import { locationSearch, NO_FILTER, readLocation, type ConsoleView, type ReviewFilter } from '../state/review-filter'

export type WorkspaceView = { kind: 'conversations' } | { kind: 'dashboard' } | { kind: 'timeline'; conversationId: number }

export interface ReviewLocation {
  /** The search words the page opened with. */
  initialQuery: string
  filter: ReviewFilter
  setFilter(filter: ReviewFilter): void
  view: WorkspaceView
  setView(view: WorkspaceView): void
}

const inBrowser = (): boolean => !window.supportConsole

export function useReviewLocation(): ReviewLocation {
  const [initial] = useState(() =>
    inBrowser() ? readLocation(window.location.search) : { filter: NO_FILTER, query: '', view: 'conversations' as const },
  )
  const [filter, setFilter] = useState<ReviewFilter>(initial.filter)
  const [view, setView] = useState<WorkspaceView>({ kind: initial.view })
  return { initialQuery: initial.query, filter, setFilter, view, setView }
}

/** Keeps the address bar in step (web mode): the filter, the settled search words and the view. */
export function useLocationSync(filter: ReviewFilter, query: string, view: WorkspaceView): void {
  const consoleView: ConsoleView = view.kind === 'dashboard' ? 'dashboard' : 'conversations'
  useEffect(() => {
    if (!inBrowser()) return
    const search = locationSearch(filter, query, consoleView)
    if (search === window.location.search) return
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`)
  }, [filter, query, consoleView])
}
