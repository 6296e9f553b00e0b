// One conversation's transcript, loaded when it opens and reloaded after each change.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ConversationDetail } from '../../../shared/domain'
import { useApi } from '../api/api-context'
import { describeError, errorCode } from '../api/errors'

export interface ConversationState {
  detail: ConversationDetail | null
  loading: boolean
  error: string | null
  /** The conversation no longer exists (deleted in another window). */
  missing: boolean
  reload(): Promise<ConversationDetail | null>
}

export function useConversation(conversationId: number): ConversationState {
  const api = useApi()
  const [detail, setDetail] = useState<ConversationDetail | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [missing, setMissing] = useState(false)
  const latest = useRef(0)

  const reload = useCallback(async (): Promise<ConversationDetail | null> => {
    const mine = ++latest.current
    try {
      const next = await api.getConversation(conversationId)
      if (latest.current !== mine) return null
      setDetail(next)
      setError(null)
      return next
    } catch (e) {
      if (latest.current !== mine) return null
      if (errorCode(e) === 'not-found') setMissing(true)
      else setError(describeError(e))
      return null
    } finally {
      if (latest.current === mine) setLoading(false)
    }
  }, [api, conversationId])

  useEffect(() => {
    void reload()
    return () => {
      // Answers for a conversation that is no longer shown are dropped.
      latest.current++
    }
  }, [reload])

  return { detail, loading, error, missing, reload }
}
