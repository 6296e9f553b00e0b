// Per-key rate limits: how many requests an integration key may make a minute, and how many streams it may hold
// open at once. One busy or broken integration (a retry loop, a page opening a stream per ticket) must not take
// the console's Gemini quota, or the server's stream slots, from every other one. The console's own session has
// no such limit (it is the user). Kept in memory: a restart forgets the counts, which only ever lets a key in.
import type { Dispose } from '../../../shared/api'
import type { IntegrationKeyView } from '../../../shared/integration-keys'
import { DEFAULT_KEY_CONCURRENT_STREAMS, DEFAULT_KEY_REQUESTS_PER_MINUTE } from '../../../shared/limits'
import { HttpError } from './http-errors'

export const RATE_LIMITED = 'rate-limited'

interface Bucket {
  /** Requests the key may still make now; refills continuously at requestsPerMinute / 60 a second. */
  tokens: number
  updatedAt: number
}

/** The limits that apply to a key: its own, or the defaults. */
export function limitsOf(key: IntegrationKeyView): { requestsPerMinute: number; concurrentStreams: number } {
  return {
    requestsPerMinute: key.limits?.requestsPerMinute ?? DEFAULT_KEY_REQUESTS_PER_MINUTE,
    concurrentStreams: key.limits?.concurrentStreams ?? DEFAULT_KEY_CONCURRENT_STREAMS,
  }
}

export class KeyRateLimits {
  private readonly buckets = new Map<string, Bucket>()
  private readonly streams = new Map<string, number>()

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Counts one request of the key, or refuses it with 429 and the whole seconds until one more is allowed. A
   * token bucket the size of a minute's requests: a burst of a minute's worth is allowed, then the steady rate.
   */
  checkRequest(key: IntegrationKeyView): void {
    const { requestsPerMinute } = limitsOf(key)
    const now = this.now()
    const perMs = requestsPerMinute / 60_000
    const bucket = this.buckets.get(key.id) ?? { tokens: requestsPerMinute, updatedAt: now }
    bucket.tokens = Math.min(requestsPerMinute, bucket.tokens + (now - bucket.updatedAt) * perMs)
    bucket.updatedAt = now
    this.buckets.set(key.id, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
    throw new HttpError(
      429,
      RATE_LIMITED,
      `The integration key "${key.name}" has made more than ${requestsPerMinute} requests a minute; try again in ${retryAfter} s.`,
      { 'Retry-After': String(retryAfter) },
    )
  }

  /** Refuses with 429 when the key holds as many streams as it may. */
  checkStream(key: IntegrationKeyView): void {
    const { concurrentStreams } = limitsOf(key)
    const open = this.streams.get(key.id) ?? 0
    if (open >= concurrentStreams) {
      throw new HttpError(
        429,
        RATE_LIMITED,
        `The integration key "${key.name}" already has ${open} streams open (its limit is ${concurrentStreams}); close one, or follow several conversations with one GET /events stream.`,
        // A stream has no known end; a few seconds is a fair time to look again.
        { 'Retry-After': '5' },
      )
    }
  }

  /** Takes one of the key's stream slots until the returned Dispose gives it back, or refuses with 429. */
  openStream(key: IntegrationKeyView): Dispose {
    this.checkStream(key)
    this.streams.set(key.id, this.openStreams(key.id) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.streams.get(key.id) ?? 1) - 1
      if (left > 0) this.streams.set(key.id, left)
      else this.streams.delete(key.id)
    }
  }

  /** Streams the key holds open now. */
  openStreams(keyId: string): number {
    return this.streams.get(keyId) ?? 0
  }
}
