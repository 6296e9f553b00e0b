// What the draft panel says about a draft that did not complete: a heading, the error's own sentence, and
// what the agent can do about it. Pure: unit-tested under Node.
import type { DraftError } from '../../../shared/domain'
import { describeTruncation, type Truncation, type TruncationNotice } from '../../../shared/truncation'
import type { EndedStatus } from './draft-state'

/** 'retry' after a failure; 'regenerate' for a draft that has text but is not whole (it is not a failure to retry). */
export type DraftErrorAction = 'retry' | 'regenerate' | 'settings' | null

export interface DraftProblem {
  /** Short heading. */
  title: string
  /** The error's own words (already written for agents by the core). */
  message: string
  /** What to do next, when there is something to add. */
  hint: string | null
  /** The button the box offers. */
  action: DraftErrorAction
  /** A stop by the agent is not a failure, and is shown calmly; a cut-off draft is a warning: usable, but not whole. */
  tone: 'error' | 'warning' | 'notice'
}

/** Headings for a cut-off draft, also shown with past drafts in the transcript. */
export const TRUNCATION_TITLE: Record<Truncation, string> = {
  length: 'Cut off at the length limit',
  'ended-early': 'Ended before it finished',
  other: 'Not finished',
}

const STORAGE_HINT =
  'Free some disk space (or make the data folder writable again); the text is kept and saved automatically when writing works again.'

// The sentence already says the text is incomplete and what to do; the hint adds that nothing was thrown away.
function truncatedProblem({ reason, message }: TruncationNotice): DraftProblem {
  return {
    title: TRUNCATION_TITLE[reason],
    message,
    hint: 'The text so far is kept: you can edit it and use it.',
    action: 'regenerate',
    tone: 'warning',
  }
}

export function describeDraftProblem(
  status: EndedStatus | null,
  error: DraftError | null,
  truncation: TruncationNotice | null = null,
): DraftProblem | null {
  if (!error && (status === 'complete' || status === null)) return null
  // Never shown as finished: without the notice (which the panel state always has) it is still said to be incomplete.
  if (!error && status === 'truncated') return truncatedProblem(truncation ?? { reason: 'other', message: describeTruncation('other') })
  if (!error) {
    return {
      title: 'The draft did not finish',
      message: 'Gemini ended the draft early.',
      hint: 'You can edit the text or draft again.',
      action: 'retry',
      tone: 'error',
    }
  }
  const retry: DraftErrorAction = error.retryable ? 'retry' : null
  switch (error.kind) {
    case 'cancelled':
      return {
        title: 'Draft stopped',
        message: error.message,
        hint: 'The text so far is kept. Edit it, or draft again.',
        action: 'retry',
        tone: 'notice',
      }
    case 'auth':
      return { title: 'Gemini could not be used', message: error.message, hint: null, action: 'settings', tone: 'error' }
    case 'invalid-input':
      return {
        title: 'Gemini refused the request',
        message: error.message,
        hint: 'The model and persona are in Settings.',
        action: 'settings',
        tone: 'error',
      }
    case 'quota':
      return {
        title: 'Usage limit reached',
        message: error.message,
        hint: error.retryAfterMs ? null : 'Wait a little, then retry.',
        action: retry,
        tone: 'error',
      }
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
    case 'storage':
      // Drafting again cannot fix a full disk (and would need the disk too), so there is no Retry; the core keeps the
      // text and writes it by itself once it can.
      return { title: 'The draft could not be saved', message: error.message, hint: STORAGE_HINT, action: null, tone: 'error' }
  }
}
