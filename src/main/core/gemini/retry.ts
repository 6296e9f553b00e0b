// When to try a failed Gemini call again, and after how long. Pure (randomness is injected) so the policy can
// be tested exactly; the client does the sleeping.
import type { DraftError } from '../../../shared/domain'

export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number
  /** Ceiling of the first backoff; doubles per retry. */
  baseDelayMs: number
  /** No backoff ceiling goes above this, and no server-requested wait longer than this is waited out. */
  maxDelayMs: number
}

/**
 * The wait before the next attempt, or null when there should be none.
 *
 * Exponential backoff with full jitter (a uniform wait in [0, min(max, base·2^n))), which spreads out clients
 * that failed together better than fixed steps. A server-suggested wait (Google's RetryInfo on 429) is a lower
 * bound. When that wait is longer than maxDelayMs the error goes to the agent instead, carrying retryAfterMs:
 * a draft that silently hangs for a minute is worse than "try again in 60 seconds".
 *
 * @param retriesDone retries already made for this request (0 before the first retry)
 * @param random a source in [0, 1), injected for tests
 */
export function nextRetryDelay(policy: RetryPolicy, retriesDone: number, error: DraftError, random: () => number = Math.random): number | null {
  if (!error.retryable || retriesDone >= policy.maxRetries) return null
  const ceiling = Math.max(0, Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retriesDone))
  const r = Math.min(Math.max(random(), 0), 1)
  const jittered = Math.floor(r * ceiling)
  if (error.retryAfterMs === undefined) return jittered
  if (error.retryAfterMs > policy.maxDelayMs) return null
  return Math.max(error.retryAfterMs, jittered)
}
