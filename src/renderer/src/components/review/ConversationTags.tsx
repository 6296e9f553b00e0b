// The open conversation's tags in its header: each with a × to take it off, and the Tag menu to add more.
import { useMemo } from 'react'
import { useReview } from '../../context/review'
import { useConversationReview } from '../../hooks/useConversationReview'
import { TagChip } from './TagChip'
import { TagMenu } from './TagMenu'

export function ConversationTags({ conversationId }: { conversationId: number }) {
  const { tags: allTags, taggingVersion, setTagged } = useReview()
  const { review } = useConversationReview(conversationId, taggingVersion)
  // Names and colours from the shared list, so a rename or recolour in the manager shows here at once.
  const tags = useMemo(() => (review?.tags ?? []).map((t) => allTags.find((known) => known.id === t.id) ?? t), [review, allTags])
  const applied = useMemo(() => new Set(tags.map((t) => t.id)), [tags])
  const ids = useMemo(() => [conversationId], [conversationId])
  return (
    <div className="conversation-tags" data-testid="conversation-tags">
      <ul className="tag-list" aria-label="Tags">
        {tags.map((tag) => (
          <li key={tag.id}>
            <TagChip tag={tag} onRemove={() => void setTagged(ids, tag, false)} />
          </li>
        ))}
      </ul>
      <TagMenu conversationIds={ids} applied={applied} label="Tag" testId="conversation-tag-button" />
    </div>
  )
}
