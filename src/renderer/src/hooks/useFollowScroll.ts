// Keeps a scroll container at its bottom while content grows, but only while the agent is there: scrolling
// up stops following (no jitter fighting the agent); "Jump to latest" or scrolling back down resumes it.
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { followAfterScroll } from '../state/scroll-follow'

export interface FollowScroll {
  /** Attach to the container's onScroll. */
  onScroll(): void
  /** True when the agent scrolled away from the bottom (show "Jump to latest"). */
  detached: boolean
  jumpToLatest(): void
  /** Stop following without scrolling (the view jumped to an older message on purpose). */
  detach(): void
}

/** `content` is anything that changes when the content grows (the text, the message count). */
export function useFollowScroll(ref: RefObject<HTMLElement | null>, content: unknown): FollowScroll {
  const following = useRef(true)
  const lastTop = useRef(0)
  const [detached, setDetached] = useState(false)

  const toBottom = useCallback(() => {
    const el = ref.current
    if (!el) return
    el.scrollTop = el.scrollHeight
    lastTop.current = el.scrollTop
  }, [ref])

  // Before paint, so the new text never flashes below the fold first.
  useLayoutEffect(() => {
    if (following.current) toBottom()
  }, [content, toBottom])

  const onScroll = useCallback(() => {
    const el = ref.current
    if (!el) return
    const next = followAfterScroll(following.current, lastTop.current, el)
    lastTop.current = el.scrollTop
    if (next !== following.current) {
      following.current = next
      setDetached(!next)
    }
  }, [ref])

  const jumpToLatest = useCallback(() => {
    following.current = true
    setDetached(false)
    toBottom()
  }, [toBottom])

  const detach = useCallback(() => {
    following.current = false
    setDetached(true)
  }, [])

  return { onScroll, detached, jumpToLatest, detach }
}
