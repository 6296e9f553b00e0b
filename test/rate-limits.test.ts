// Per-key rate limits over real HTTP against the real core: requests a minute and streams open at once, set when
// a key is created (or the defaults), answered with 429 and Retry-After in our JSON shape, and in OpenAI's on /v1.
import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { DEFAULT_KEY_REQUESTS_PER_MINUTE } from '../src/shared/limits'
import type { CreatedIntegrationKey } from '../src/shared/integration-keys'
import { KeyRateLimits } from '../src/main/core/server/rate-limits'
import { harnessPerTest, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { waitFor } from './helpers/wait-for'

const start = harnessPerTest()

async function createKey(h: Harness, body: object): Promise<CreatedIntegrationKey> {
  const response = await fetch(`${h.url}/api/integration-keys`, {
    method: 'POST',
    headers: { ...h.headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as CreatedIntegrationKey
}

const list = (h: Harness, secret: string): Promise<Response> =>
  fetch(`${h.url}/api/conversations`, { headers: { Authorization: `Bearer ${secret}` } })

describe('requests a minute', () => {
  it('lets a key make its limit, then answers 429 with Retry-After, without touching other keys or the console', async () => {
    const h = await start()
    const limited = await createKey(h, { name: 'Chatty', scopes: ['read'], limits: { requestsPerMinute: 3 } })
    expect(limited.key.limits).toEqual({ requestsPerMinute: 3 })
    const other = await createKey(h, { name: 'Quiet', scopes: ['read'] })

    for (let i = 0; i < 3; i++) expect((await list(h, limited.secret)).status).toBe(200)
    const refused = await list(h, limited.secret)
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get('retry-after'))
    // One request a 20 s at 3 a minute: the next one is due within that.
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(20)
    expect(await refused.json()).toEqual({ error: { code: 'rate-limited', message: expect.stringContaining('3 requests a minute') } })
    expect((await list(h, other.secret)).status).toBe(200)
    expect((await fetch(`${h.url}/api/conversations`, { headers: h.headers })).status).toBe(200)

    // Kept with the key: after a restart the limit still applies (the count starts afresh).
    await h.restart()
    expect((await h.core.api.listIntegrationKeys()).find((k) => k.name === 'Chatty')?.limits).toEqual({ requestsPerMinute: 3 })
    for (let i = 0; i < 3; i++) expect((await list(h, limited.secret)).status).toBe(200)
    expect((await list(h, limited.secret)).status).toBe(429)
  })

  it(`defaults to ${DEFAULT_KEY_REQUESTS_PER_MINUTE} a minute`, async () => {
    const h = await start()
    const key = await createKey(h, { name: 'Default', scopes: ['read'] })
    expect(key.key.limits).toBeUndefined()
    const started = performance.now()
    const statuses = await Promise.all(Array.from({ length: DEFAULT_KEY_REQUESTS_PER_MINUTE }, () => list(h, key.secret).then((r) => r.status)))
    expect(statuses.every((status) => status === 200)).toBe(true)
    // The bucket refills at 2 a second while the requests run (longer on a busy machine): allow for exactly that.
    let extra = 0
    while (extra < 1_000 && (await list(h, key.secret)).status === 200) extra++
    const refilled = Math.floor(((performance.now() - started) / 60_000) * DEFAULT_KEY_REQUESTS_PER_MINUTE)
    expect(extra).toBeLessThanOrEqual(refilled)
  })

  it('refuses limits out of range', async () => {
    const h = await start()
    for (const limits of [{ requestsPerMinute: 0 }, { concurrentStreams: 1.5 }, { burst: 3 }]) {
      const response = await fetch(`${h.url}/api/integration-keys`, {
        method: 'POST',
        headers: { ...h.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Bad', scopes: ['read'], limits }),
      })
      expect(response.status, JSON.stringify(limits)).toBe(400)
    }
    expect(await h.core.api.listIntegrationKeys()).toEqual([])
  })

  it('refills at the steady rate (token bucket)', () => {
    let now = 0
    const limits = new KeyRateLimits(() => now)
    const key = { id: 'k', name: 'K', scopes: [], prefix: 'sck_', createdAt: '', lastUsedAt: null, limits: { requestsPerMinute: 60 } }
    for (let i = 0; i < 60; i++) limits.checkRequest(key)
    expect(() => limits.checkRequest(key)).toThrow(/60 requests a minute/)
    now += 999
    expect(() => limits.checkRequest(key)).toThrow()
    now += 2
    expect(() => limits.checkRequest(key)).not.toThrow()
  })
})

describe('streams at once', () => {
  it('lets a key hold its limit of streams, then answers 429 until one closes', async () => {
    const h = await start()
    const key = await createKey(h, { name: 'Board', scopes: ['read'], limits: { concurrentStreams: 2 } })
    const { id } = await h.core.api.createConversation({})
    const open = (): Promise<Response> => fetch(`${h.url}/conversations/${id}/events`, { headers: { Authorization: `Bearer ${key.secret}` } })
    const first = await open()
    const second = await open()
    expect([first.status, second.status]).toEqual([200, 200])
    const third = await open()
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('5')
    expect(((await third.json()) as { error: { message: string } }).error.message).toContain('GET /events')
    // The console's own session is not held to the key's limit.
    const consoles = await fetch(`${h.url}/conversations/${id}/events`, { headers: h.headers })
    expect(consoles.status).toBe(200)
    await consoles.body?.cancel()

    await first.body?.cancel()
    await waitFor(async () => {
      const again = await open()
      if (again.status === 200) {
        await again.body?.cancel()
        return true
      }
      await again.text()
      return false
    }, 'a stream slot to free up')
    await second.body?.cancel()
  })
})

describe('on the OpenAI-compatible routes', () => {
  it('are OpenAI rate-limit errors with Retry-After, for requests and for a completion still running', async () => {
    const h = await start()
    const key = await createKey(h, { name: 'Tool', scopes: ['stream'], limits: { requestsPerMinute: 2, concurrentStreams: 1 } })
    const client = new OpenAI({ apiKey: key.secret, baseURL: `${h.url}/v1`, maxRetries: 0 })

    // A completion still running holds the key's one stream slot.
    h.emulator.enqueue({ chunks: ['slow ', 'reply'], delayMs: 400 })
    const running = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] })
    await waitFor(() => h.emulator.requests.length > 0, 'the first completion to reach Gemini')
    const busy = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Again' }] }).catch((e: unknown) => e)
    expect(busy).toBeInstanceOf(OpenAI.RateLimitError)
    expect((busy as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' })
    expect((busy as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('5')
    expect((await running).choices[0]?.message.content).toBe('slow reply')

    // Two requests made; the third in the minute is refused.
    const third = await client.models.list().catch((e: unknown) => e)
    expect(third).toBeInstanceOf(OpenAI.RateLimitError)
    expect(Number((third as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((third as InstanceType<typeof OpenAI.RateLimitError>).message).toContain('2 requests a minute')
    expect(TEST_TOKEN).not.toBe(key.secret)
  })
})
