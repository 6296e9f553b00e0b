import { describe, expect, it } from 'vitest'
import type { DraftError } from '../src/shared/domain'
import { parseRetryDelay } from '../src/main/core/gemini/errors'
import { nextRetryDelay, type RetryPolicy } from '../src/main/core/gemini/retry'

const policy: RetryPolicy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 }
const overloaded: DraftError = { kind: 'overloaded', retryable: true, message: 'busy', status: 503 }
const almostOne = (): number => 0.999999

describe('nextRetryDelay', () => {
  it('never retries an error that retrying cannot help', () => {
    const auth: DraftError = { kind: 'auth', retryable: false, message: 'bad key', status: 400 }
    expect(nextRetryDelay(policy, 0, auth, almostOne)).toBeNull()
  })

  it('stops after maxRetries', () => {
    expect(nextRetryDelay(policy, 4, overloaded, almostOne)).not.toBeNull()
    expect(nextRetryDelay(policy, 5, overloaded, almostOne)).toBeNull()
    expect(nextRetryDelay({ ...policy, maxRetries: 0 }, 0, overloaded, almostOne)).toBeNull()
  })

  it('doubles the ceiling per retry and caps it at maxDelayMs', () => {
    const ceilings = [0, 1, 2, 3, 4].map((n) => nextRetryDelay(policy, n, overloaded, almostOne))
    expect(ceilings).toEqual([99, 199, 399, 799, 999])
  })

  it('draws the wait uniformly below the ceiling (full jitter)', () => {
    expect(nextRetryDelay(policy, 2, overloaded, () => 0)).toBe(0)
    expect(nextRetryDelay(policy, 2, overloaded, () => 0.5)).toBe(200)
    expect(nextRetryDelay(policy, 2, overloaded, () => 0.25)).toBe(100)
  })

  it('keeps a misbehaving random source inside the range', () => {
    expect(nextRetryDelay(policy, 0, overloaded, () => 7)).toBe(100)
    expect(nextRetryDelay(policy, 0, overloaded, () => -3)).toBe(0)
  })

  it('waits at least the delay the server asked for', () => {
    const quota: DraftError = { kind: 'quota', retryable: true, message: 'slow down', status: 429, retryAfterMs: 700 }
    expect(nextRetryDelay(policy, 0, quota, () => 0)).toBe(700)
    expect(nextRetryDelay(policy, 0, quota, almostOne)).toBe(700)
    // A jittered backoff longer than the server's hint is kept.
    expect(nextRetryDelay(policy, 4, { ...quota, retryAfterMs: 50 }, almostOne)).toBe(999)
  })

  it('hands a server-requested wait longer than maxDelayMs to the agent instead of hanging', () => {
    const quota: DraftError = { kind: 'quota', retryable: true, message: 'slow down', status: 429, retryAfterMs: 60_000 }
    expect(nextRetryDelay(policy, 0, quota, () => 0.5)).toBeNull()
  })
})

describe('parseRetryDelay', () => {
  it('reads Google duration strings', () => {
    expect(parseRetryDelay('15s')).toBe(15_000)
    expect(parseRetryDelay('1.5s')).toBe(1500)
    expect(parseRetryDelay('0.250s')).toBe(250)
    expect(parseRetryDelay(' 2s ')).toBe(2000)
  })

  it('ignores anything else', () => {
    expect(parseRetryDelay(undefined)).toBeUndefined()
    expect(parseRetryDelay(15)).toBeUndefined()
    expect(parseRetryDelay('15')).toBeUndefined()
    expect(parseRetryDelay('soon')).toBeUndefined()
    expect(parseRetryDelay('-1s')).toBeUndefined()
  })
})
