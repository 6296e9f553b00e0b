// A reply that ended without Gemini saying it was finished: why, and how to say so to a support agent.
// Shared so the core (SSE `end` events) and the renderer describe a truncated draft with the same words.

/** 'length': cut off at the output limit (MAX_TOKENS); 'ended-early': the stream ended with no finishReason. */
export type Truncation = 'length' | 'ended-early' | 'other'

/** What an `end` event carries for a truncated draft: the reason, and a sentence to show as it is. */
export interface TruncationNotice {
  reason: Truncation
  message: string
}

/**
 * Why a reply that was not blocked is incomplete, from Gemini's finishReason; null when it finished (STOP).
 * No finishReason at all means something in between (a proxy, a gateway) closed the stream cleanly.
 */
export function truncationOf(finishReason: string | null): Truncation | null {
  if (finishReason === 'STOP') return null
  if (finishReason === 'MAX_TOKENS') return 'length'
  if (finishReason === null) return 'ended-early'
  return 'other'
}

export function describeTruncation(reason: Truncation, finishReason: string | null = null): string {
  switch (reason) {
    case 'length':
      return 'Gemini cut this draft off at the length limit, so its end is missing. Finish it yourself or regenerate.'
    case 'ended-early':
      return 'The stream ended early, before Gemini finished this draft, so its end may be missing. Check it or regenerate.'
    case 'other':
      return `Gemini stopped this draft before finishing it (${finishReason ?? 'no reason given'}). Check it or regenerate.`
  }
}

export function truncationNotice(finishReason: string | null): TruncationNotice | null {
  const reason = truncationOf(finishReason)
  return reason && { reason, message: describeTruncation(reason, finishReason) }
}

/**
 * The notice for a draft the transcript holds as 'truncated': its finishReason is all that was kept, so the
 * reason is derived again (MAX_TOKENS: length, none: ended early, anything else: other). A saved STOP is never
 * truncated; if one is, it is described as 'other' rather than as finished.
 */
export function savedTruncationNotice(finishReason: string | null): TruncationNotice {
  const reason = truncationOf(finishReason) ?? 'other'
  return { reason, message: describeTruncation(reason, finishReason) }
}
