// What the review parts share below the console: the tags (and changing them), opening a conversation's full
// timeline, and the tag manager dialog, which any part can open.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import { TagManagerDialog } from '../components/review/TagManagerDialog'
import { useTagActions, type TagActions } from '../hooks/useTagActions'

interface ReviewValue extends TagActions {
  openTimeline(conversationId: number): void
  openTagManager(): void
}

const ReviewContext = createContext<ReviewValue | null>(null)

export function ReviewProvider({ onOpenTimeline, children }: { onOpenTimeline(conversationId: number): void; children: ReactNode }) {
  const { tags, taggingVersion, createTag, updateTag, deleteTag, setTagged } = useTagActions()
  const [managing, setManaging] = useState(false)
  const value = useMemo(
    () => ({
      tags,
      taggingVersion,
      createTag,
      updateTag,
      deleteTag,
      setTagged,
      openTimeline: onOpenTimeline,
      openTagManager: () => setManaging(true),
    }),
    [tags, taggingVersion, createTag, updateTag, deleteTag, setTagged, onOpenTimeline],
  )
  return (
    <ReviewContext.Provider value={value}>
      {children}
      {managing && <TagManagerDialog onClose={() => setManaging(false)} />}
    </ReviewContext.Provider>
  )
}

export function useReview(): ReviewValue {
  const value = useContext(ReviewContext)
  if (!value) throw new Error('useReview needs a <ReviewProvider> above it')
  return value
}
