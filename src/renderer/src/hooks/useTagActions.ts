// The tags every part of the review shares (filter, header, bulk bar, tag manager): loaded once, reloaded after
// each change so their counts stay right. Failures are said in a toast; each action resolves to whether it worked.
import { useCallback, useEffect, useState } from 'react'
import type { NewTag, Tag, TagUpdate } from '../../../shared/review'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'

export interface TagActions {
  tags: Tag[]
  /** Bumped after conversations were tagged or untagged, so views showing a conversation's tags reload them. */
  taggingVersion: number
  createTag(input: NewTag): Promise<Tag | null>
  updateTag(id: number, update: TagUpdate): Promise<boolean>
  deleteTag(tag: Tag): Promise<boolean>
  /** Adds (or with add=false removes) the tag on every conversation named. */
  setTagged(conversationIds: number[], tag: Tag, add: boolean): Promise<boolean>
}

export function useTagActions(): TagActions {
  const api = useApi()
  const { toast } = useNotices()
  const [tags, setTags] = useState<Tag[]>([])
  const [taggingVersion, setTaggingVersion] = useState(0)

  const reload = useCallback(async (): Promise<void> => {
    try {
      setTags(await api.listTags())
    } catch (error) {
      toast(`Could not load the tags: ${describeError(error)}`, 'error')
    }
  }, [api, toast])

  useEffect(() => {
    void reload()
  }, [reload])

  const attempt = useCallback(
    async <T>(run: () => Promise<T>): Promise<T | null> => {
      try {
        const result = await run()
        await reload()
        return result
      } catch (error) {
        toast(describeError(error), 'error')
        return null
      }
    },
    [reload, toast],
  )

  const setTagged = useCallback(
    async (ids: number[], tag: Tag, add: boolean): Promise<boolean> => {
      const result = await attempt(() => (add ? api.tagConversations(tag.id, ids) : api.untagConversations(tag.id, ids)))
      if (!result) return false
      setTaggingVersion((v) => v + 1)
      const many = ids.length === 1 ? 'the conversation' : `${ids.length} conversations`
      toast(add ? `Tagged ${many} “${tag.name}”` : `Took “${tag.name}” off ${many}`, 'success')
      return true
    },
    [api, attempt, toast],
  )

  return {
    tags,
    taggingVersion,
    createTag: useCallback((input: NewTag) => attempt(() => api.createTag({ color: 'gray', ...input })), [api, attempt]),
    updateTag: useCallback(async (id: number, update: TagUpdate) => (await attempt(() => api.updateTag(id, update))) !== null, [api, attempt]),
    deleteTag: useCallback(
      async (tag: Tag) => {
        const done = (await attempt(async () => (await api.deleteTag(tag.id), true))) === true
        if (done) setTaggingVersion((v) => v + 1)
        return done
      },
      [api, attempt],
    ),
    setTagged,
  }
}
