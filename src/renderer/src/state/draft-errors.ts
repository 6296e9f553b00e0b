// What the draft panel says about a draft that did not complete: a heading, the error's own sentence, and
// what the agent can do about it. Pure: unit-tested under Node.
import type { DraftError } from '../../../shared/domain'
import type { EndedStatus } from './draft-state'

export type DraftErrorAction = 'retry' | 'settings' | null

export interface DraftProblem {
  /** Short heading. */
  title: string
  /** The error's own words (already written for agents by the core). */
  message: string
  /** What to do next, when there is something to add. */
  hint: string | null
  /** The button the box offers. */
  action: DraftErrorAction
  /** A stop by the agent is not a failure, and is shown calmly. */
  tone: 'error' | 'notice'
}

export function describeDraftProblem(status: EndedStatus | null, error: DraftError | null): DraftProblem | null {
  if (!error && (status === 'complete' || status === null)) return null
  if (!error) {
    return { title: 'The draft did not finish', message: 'Gemini ended the draft early.', hint: 'You can edit the text or draft again.', action: 'retry', tone: 'error' }
  }
  const retry: DraftErrorAction = error.retryable ? 'retry' : null
  switch (error.kind) {
    case 'cancelled':
      return { title: 'Draft stopped', message: error.message, hint: 'The text so far is kept. Edit it, or draft again.', action: 'retry', tone: 'notice' }
    case 'auth':
      return { title: 'Gemini could not be used', message: error.message, hint: null, action: 'settings', tone: 'error' }
    case 'invalid-input':
      return { title: 'Gemini refused the request', message: error.message, hint: 'The model and persona are in Settings.', action: 'settings', tone: 'error' }
    case 'quota':
      return { title: 'Usage limit reached', message: error.message, hint: error.retryAfterMs ? null : 'Wait a little, then retry.', action: retry, tone: 'error' }
    case 'overloaded':
      return { title: 'Gemini is busy', message: error.message, hint: null, action: retry, tone: 'error' }
    case 'timeout':
      return { title: 'Gemini took too long', message: error.message, hint: null, action: retry, tone: 'error' }
    case 'network':
      // The core's sentence already says whether to check the network (it knows whether Gemini was reached).
      return { title: 'Connection problem', message: error.message, hint: null, action: retry, tone: 'error' }
    case 'blocked':
      // The core's sentence already says what to do (keep the useful part or write the reply).
      return { title: 'Gemini declined to draft this', message: error.message, hint: null, action: retry, tone: 'error' }
  }
}
