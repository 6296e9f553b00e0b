// "Draft from knowledge base": asks the core for a reply assembled from the best-matching passages when Gemini
// cannot draft (no key, no network, a refused key, no quota), and puts it in the panel like any saved draft. It
// replaces the reply being worked on, so edits the agent made are only discarded once they confirm.
import { useState } from 'react'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'
import type { DraftControls } from './useDraft'
import type { ReplyControls } from './useReply'

export interface OfflineDraftControls {
  /** Drafts at once, or asks first when that would discard the agent's edits. */
  request(): void
  busy: boolean
  /** Why the last attempt failed, in the API's words. */
  error: string | null
  confirming: boolean
  confirm(): void
  cancel(): void
}

export interface OfflineDraftSource {
  conversationId: number
  draft: DraftControls
  reply: ReplyControls
  reload(): Promise<unknown>
}

export function useOfflineDraft({ conversationId, draft, reply, reload }: OfflineDraftSource): OfflineDraftControls {
  const api = useApi()
  const { announce } = useNotices()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)

  const run = async (): Promise<void> => {
    setConfirming(false)
    setBusy(true)
    setError(null)
    try {
      const message = await api.draftFromKnowledgeBase(conversationId)
      // The new draft's text replaces the reply (edits of the earlier one were confirmed away, as for Regenerate).
      reply.discardEdits()
      draft.loaded(message)
      announce('Offline draft from the knowledge base ready. It was not written by Gemini.')
      await reload()
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setBusy(false)
    }
  }

  return {
    request: () => {
      if (busy) return
      if (reply.edited) setConfirming(true)
      else void run()
    },
    busy,
    error,
    confirming,
    confirm: () => void run(),
    cancel: () => setConfirming(false),
  }
}
