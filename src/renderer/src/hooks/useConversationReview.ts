// A conversation's full timeline (getConversationReview): loaded when opened, and again when its tags change.
import { useCallback, useEffect, useState } from 'react'
import type { ConversationReview } from '../../../shared/review'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'

export interface ConversationReviewState {
  review: ConversationReview | null
  error: string | null
  reload(): void
}

export function useConversationReview(conversationId: number, version: number): ConversationReviewState {
  const api = useApi()
  const [review, setReview] = useState<ConversationReview | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [nonce, setNonce] = useState(0)

  useEffect(() => {
    let current = true
    api.getConversationReview(conversationId).then(
      (found) => {
        if (!current) return
        setReview(found)
        setError(null)
      },
      (e: unknown) => current && setError(describeError(e)),
    )
    return () => {
      current = false
    }
  }, [api, conversationId, version, nonce])

  return { review, error, reload: useCallback(() => setNonce((n) => n + 1), []) }
}
