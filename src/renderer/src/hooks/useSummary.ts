// The conversation's summary on demand: asks for one (summarizeConversation), follows it as it streams on the
// conversation's live events, and reloads the transcript when it ends (the saved summary comes with the
// conversation). Stop is the draft's Stop: one generation per conversation at a time.
import { useCallback, useEffect, useReducer } from 'react'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'
import { initialSummaryState, isSummarizing, summaryReducer, type SummaryState } from '../state/summary-state'

export interface SummaryControls {
  summary: SummaryState
  summarizing: boolean
  summarize(): void
  /** Stops a summary being written; false when there is none (so Esc keeps its usual meaning). */
  stop(): boolean
}

export function useSummary(conversationId: number, reload: () => Promise<unknown>): SummaryControls {
  const api = useApi()
  const { announce } = useNotices()
  const [summary, dispatch] = useReducer(summaryReducer, initialSummaryState)

  useEffect(() => api.onConversationEvents(conversationId, (event) => dispatch({ type: 'event', event })), [api, conversationId])

  const ended = summary.phase === 'ended' && summary.messageId !== null
  useEffect(() => {
    if (!ended) return
    announce(summary.status === 'complete' ? 'Summary ready.' : 'The summary did not finish.')
    void reload()
  }, [ended, summary.status, reload, announce])

  const summarize = useCallback(() => {
    dispatch({ type: 'requested' })
    api.summarizeConversation(conversationId).then(
      ({ messageId }) => dispatch({ type: 'started', messageId }),
      (error: unknown) => dispatch({ type: 'request-failed', message: describeError(error) }),
    )
  }, [api, conversationId])

  const summarizing = isSummarizing(summary)
  const stop = useCallback((): boolean => {
    if (!summarizing) return false
    // The summary may have ended on its own meanwhile; its end event says how.
    api.stopDraft(conversationId).catch((error: unknown) => console.warn('stopDraft:', describeError(error)))
    return true
  }, [api, conversationId, summarizing])

  return { summary, summarizing, summarize, stop }
}
