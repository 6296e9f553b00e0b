// What the review parts share below the console: the tags (and changing them), opening a conversation's full
// timeline, and the tag manager dialog, which any part can open. Only the context and its hook live here: the
// provider (components/review/ReviewProvider.tsx) renders the tag manager, whose rows read this context, so
// keeping the two apart leaves no import cycle.
import { createContext, useContext } from 'react'
import type { TagActions } from '../hooks/useTagActions'

export interface ReviewValue extends TagActions {
  openTimeline(conversationId: number): void
  openTagManager(): void
}

export const ReviewContext = createContext<ReviewValue | null>(null)

export function useReview(): ReviewValue {
  const value = useContext(ReviewContext)
  if (!value) throw new Error('useReview needs a <ReviewProvider> above it')
  return value
}
