// The live draft of one conversation: subscribes to its events, folds them with the pure draft reducer,
// and renders at most once per animation frame however fast the chunks come (a 200-chunks-per-second reply
// costs one React render per frame, not per chunk). Start and Stop go to the API; the request to Gemini is
// aborted in the main process, not just hidden here.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Message } from '../../../shared/domain'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { draftReducer, initialDraftState, type DraftAction, type DraftState } from '../state/draft-state'

export interface DraftControls {
  draft: DraftState
  /**
   * Asks Gemini for a draft (also Regenerate and Retry), or, with `begin`, for another generation that streams
   * like one (a rewrite). Resolves to the started message's id, or null when it could not start.
   */
  start(begin?: () => Promise<{ messageId: number }>): Promise<number | null>
  stop(): Promise<void>
  stopping: boolean
  /** The transcript was (re)loaded: offer its current draft, if any. */
  loaded(message: Message | null): void
  cleared(): void
}

// If a draft's events do not arrive (a browser whose event stream connected after a very short draft had
// already ended), the transcript is asked after these delays; it has the saved result.
const MISSED_EVENTS_CHECKS_MS = [1500, 5000]

export function useDraft(conversationId: number, callbacks: { onEnded(state: DraftState): void; reload(): Promise<unknown> }): DraftControls {
  const api = useApi()
  const [draft, setDraft] = useState<DraftState>(initialDraftState)
  const [stopping, setStopping] = useState(false)
  const stateRef = useRef(initialDraftState)
  const frame = useRef<number | null>(null)
  const callbacksRef = useRef(callbacks)
  useEffect(() => {
    callbacksRef.current = callbacks
  })

  const dispatch = useCallback((action: DraftAction, immediate = false) => {
    const previous = stateRef.current
    const next = draftReducer(previous, action)
    if (next === previous) return
    stateRef.current = next
    if (immediate) {
      if (frame.current !== null) cancelAnimationFrame(frame.current)
      frame.current = null
      setDraft(next)
    } else if (frame.current === null) {
      frame.current = requestAnimationFrame(() => {
        frame.current = null
        setDraft(stateRef.current)
      })
    }
    if (next.phase === 'ended' && (previous.phase !== 'ended' || previous.messageId !== next.messageId) && action.type === 'event') {
      callbacksRef.current.onEnded(next)
    }
  }, [])

  useEffect(() => {
    stateRef.current = initialDraftState
    setDraft(initialDraftState)
    const unsubscribe = api.onConversationEvents(conversationId, (event) => dispatch({ type: 'event', event }))
    return () => {
      unsubscribe()
      if (frame.current !== null) cancelAnimationFrame(frame.current)
      frame.current = null
    }
  }, [api, conversationId, dispatch])

  const start = useCallback(
    async (begin?: () => Promise<{ messageId: number }>): Promise<number | null> => {
      dispatch({ type: 'requested' }, true)
      let messageId: number
      try {
        ;({ messageId } = await (begin ? begin() : api.startDraft(conversationId)))
      } catch (error) {
        dispatch({ type: 'request-failed', message: describeError(error) }, true)
        return null
      }
      dispatch({ type: 'started', messageId }, true)
      // Not awaited: the caller learns the id now; these checks only matter if the events never come.
      void (async () => {
        for (const delay of MISSED_EVENTS_CHECKS_MS) {
          await new Promise((resolve) => setTimeout(resolve, delay))
          const state = stateRef.current
          if (state.phase !== 'starting' || state.pendingMessageId !== messageId) return
          await callbacksRef.current.reload()
        }
      })()
      return messageId
    },
    [api, conversationId, dispatch],
  )

  const stop = useCallback(async () => {
    setStopping(true)
    try {
      await api.stopDraft(conversationId)
    } catch (error) {
      // The draft may have ended on its own meanwhile; its end event says how.
      console.warn('stopDraft:', describeError(error))
    } finally {
      setStopping(false)
    }
  }, [api, conversationId])

  return {
    draft,
    start,
    stop,
    stopping,
    loaded: useCallback((message: Message | null) => dispatch({ type: 'loaded', message }, true), [dispatch]),
    cleared: useCallback(() => dispatch({ type: 'cleared' }, true), [dispatch]),
  }
}
