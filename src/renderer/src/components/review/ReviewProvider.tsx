// Provides the review context (context/review.ts) to the console and renders the tag manager when a part asks
// for it. Outside context/ because the dialog it renders reads the context: see the note there.
import { useMemo, useState, type ReactNode } from 'react'
import { ReviewContext } from '../../context/review'
import { useTagActions } from '../../hooks/useTagActions'
import { TagManagerDialog } from './TagManagerDialog'

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
