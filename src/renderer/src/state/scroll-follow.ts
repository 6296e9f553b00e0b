// "Follow the latest text only while the agent is at the bottom": the rule, separated from the DOM.
// Pure: unit-tested under Node.

export interface ScrollSample {
  scrollTop: number
  scrollHeight: number
  clientHeight: number
}

/** How close to the bottom (px) still counts as "at the bottom": sub-pixel layouts never land exactly. */
export const AT_BOTTOM_SLACK_PX = 32

export const distanceFromBottom = (s: ScrollSample): number => s.scrollHeight - s.clientHeight - s.scrollTop

/**
 * Whether to keep following after a scroll event. Only the agent moving up stops following: content growing
 * under a programmatic scroll also leaves the view short of the bottom for a moment, but never moves
 * scrollTop up. Reaching the bottom again (by scrolling or "Jump to latest") resumes following.
 */
export function followAfterScroll(following: boolean, previousScrollTop: number, now: ScrollSample): boolean {
  if (distanceFromBottom(now) <= AT_BOTTOM_SLACK_PX) return true
  if (now.scrollTop < previousScrollTop - 1) return false
  return following
}
