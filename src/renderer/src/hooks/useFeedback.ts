// The agent's thumbs up or down on one draft: shown at once, saved with setDraftFeedback, and put back (with a
// toast) when saving fails. What the transcript says wins whenever it changes (another window, a reload).
import { useEffect, useState } from 'react'
import type { DraftFeedback } from '../../../shared/steering'
import { useApi } from '../api/api-context'
import { describeError } from '../api/errors'
import { useNotices } from '../context/notices'

export interface FeedbackControls {
  feedback: DraftFeedback | null
  saving: boolean
  /** A null rating takes the feedback back. Resolves to whether it was saved. */
  save(rating: DraftFeedback['rating'] | null, reason?: string | null): Promise<boolean>
}

export function useFeedback(messageId: number, saved: DraftFeedback | null): FeedbackControls {
  const api = useApi()
  const { toast, announce } = useNotices()
  const [feedback, setFeedback] = useState(saved)
  const [saving, setSaving] = useState(false)
  const savedKey = saved ? `${saved.rating}|${saved.at}|${saved.reason ?? ''}` : ''
  useEffect(() => {
    setFeedback(saved)
    // Only a different saved value replaces what is shown, not a new object with the same one.
  }, [savedKey])

  const save = async (rating: DraftFeedback['rating'] | null, reason: string | null = null): Promise<boolean> => {
    const before = feedback
    setFeedback(rating ? { rating, reason, at: new Date().toISOString() } : null)
    setSaving(true)
    try {
      const message = await api.setDraftFeedback(messageId, { rating, reason })
      setFeedback(message.feedback)
      announce(rating === null ? 'Feedback removed.' : 'Feedback saved.')
      return true
    } catch (error) {
      setFeedback(before)
      toast(`Feedback not saved: ${describeError(error)}`, 'error')
      return false
    } finally {
      setSaving(false)
    }
  }

  return { feedback, saving, save }
}
