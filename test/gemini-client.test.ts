// The Gemini client driven end to end: the real @google/generative-ai SDK over real HTTP on 127.0.0.1 against
// the emulator. Nothing here stubs the SDK.
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { GeminiClient } from '../src/main/core/gemini/client'
import type { GeminiClientOptions, ReplyEvent, ReplyRequest } from '../src/main/core/gemini/types'
import { GeminiEmulator, type ScriptedReply } from './emulator/gemini-emulator'

// The SDK tee()s one body into `stream` and `response`; a client that forgets the second branch leaks an
// unhandled rejection whenever a stream fails. Catch every one of them here.
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
})

let emulator: GeminiEmulator
beforeEach(async () => {
  emulator = await GeminiEmulator.start()
})
afterEach(async () => {
  await emulator.close()
  // Rejections are reported after the microtask queue drains: give them a turn of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 20))
  // splice: one leaking test fails on its own, not every test after it.
  expect(unhandled.splice(0)).toEqual([])
})

const MODEL = 'gemini-2.5-flash'

type ClientOverrides = Partial<Omit<GeminiClientOptions, 'apiKey'>> & { apiKey?: string | undefined }

function makeClient(options: ClientOverrides = {}): GeminiClient {
  // An explicit `apiKey: undefined` means "no key", so the default applies only when the field is absent.
  const { apiKey: key, ...overrides } = options
  const apiKey = 'apiKey' in options ? key : 'test-key'
  return new GeminiClient(
    {
      apiKey: () => apiKey,
      baseUrl: emulator.url,
      idleTimeoutMs: 5000,
      maxRetries: 2,
      retryBaseDelayMs: 10,
      maxRetryDelayMs: 2000,
      ...overrides,
    },
    { random: () => 0.5 },
  )
}

function makeRequest(overrides: Partial<ReplyRequest> = {}): ReplyRequest {
  return {
    model: MODEL,
    systemInstruction: 'You are a friendly support agent for Acme.',
    turns: [{ role: 'user', text: 'My order has not arrived.' }],
    signal: new AbortController().signal,
    ...overrides,
  }
}

async function collect(events: AsyncIterable<ReplyEvent>, onEvent?: (e: ReplyEvent) => void): Promise<ReplyEvent[]> {
  const seen: ReplyEvent[] = []
  for await (const e of events) {
    seen.push(e)
    onEvent?.(e)
  }
  return seen
}

const texts = (events: ReplyEvent[]): string[] => events.flatMap((e) => (e.type === 'text' ? [e.text] : []))

/** The contract: exactly one `end` or `error`, and it is the last event. Returns it. */
function terminal(events: ReplyEvent[]): Extract<ReplyEvent, { type: 'end' | 'error' }> {
  const closing = events.filter((e) => e.type === 'end' || e.type === 'error')
  expect(closing).toHaveLength(1)
  const last = events[events.length - 1]
  expect(last).toBe(closing[0])
  return last as Extract<ReplyEvent, { type: 'end' | 'error' }>
}

function errorOf(events: ReplyEvent[]): Extract<ReplyEvent, { type: 'error' }> {
  const last = terminal(events)
  if (last.type !== 'error') throw new Error(`expected an error event, got ${JSON.stringify(last)}`)
  return last
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const ok = (chunks: string[], extra: Partial<ScriptedReply> = {}): ScriptedReply => ({ chunks, ...extra })

describe('GeminiClient: normal streams', () => {
  it('yields text in order, usage, and ends with the finishReason', async () => {
    emulator.enqueue(ok(['Sorry to hear ', 'that. ', 'Let me check.'], { promptTokens: 12, delayMs: 5 }))
    const events = await collect(makeClient().streamReply(makeRequest()))

    expect(texts(events)).toEqual(['Sorry to hear ', 'that. ', 'Let me check.'])
    const end = terminal(events)
    expect(end).toEqual({ type: 'end', finishReason: 'STOP' })
    const usages = events.flatMap((e) => (e.type === 'usage' ? [e.usage] : []))
    expect(usages.length).toBeGreaterThan(0)
    const finalUsage = usages[usages.length - 1]
    expect(finalUsage?.promptTokens).toBe(12)
    expect(finalUsage?.outputTokens).toBeGreaterThan(0)
    expect(finalUsage?.totalTokens).toBe(12 + (finalUsage?.outputTokens ?? 0))
    // Usage arrives with (after) the text of its chunk, never before the first text.
    expect(events[0]?.type).toBe('text')
  })

  it('delivers awkward text exactly: CRLF, non-Latin scripts, emoji, U+2028/U+2029, markup', async () => {
    const chunks = [
      'Line one\r\nLine two\n\n',
      'Ελληνικά, русский, 日本語, العربية, עברית, हिन्दी ',
      '👩🏽‍💻 🎉 🇯🇵 ',
      'before\u2028between\u2029after ',
      '<b>bold</b> & "quotes" \\ backslash\t',
      '```ts\nconst x: string = "data: not an event\\r\\n\\r\\n"\n```',
      'x'.repeat(70_000),
    ]
    emulator.enqueue(ok(chunks))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(terminal(events).type).toBe('end')
    expect(texts(events)).toEqual(chunks)
  })

  it('ends with MAX_TOKENS as a normal end, not an error', async () => {
    emulator.enqueue(ok(['A long answer that was cut'], { finishReason: 'MAX_TOKENS' }))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(terminal(events)).toEqual({ type: 'end', finishReason: 'MAX_TOKENS' })
  })

  // The client reports how the stream ended; the drafting service decides these are `truncated` drafts.
  it('ends with finishReason null when the body ends without one (a gateway closing cleanly), keeping the text', async () => {
    emulator.enqueue(ok(['Half of ', 'an answer'], { finishReason: null }))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(texts(events)).toEqual(['Half of ', 'an answer'])
    expect(terminal(events)).toEqual({ type: 'end', finishReason: null })
  })

  it('passes OTHER through as the finishReason of a normal end', async () => {
    emulator.enqueue(ok(['Something'], { finishReason: 'OTHER' }))
    expect(terminal(await collect(makeClient().streamReply(makeRequest())))).toEqual({ type: 'end', finishReason: 'OTHER' })
  })

  it('uses the default echo reply when nothing is queued', async () => {
    const events = await collect(makeClient().streamReply(makeRequest({ turns: [{ role: 'user', text: 'Where is it?' }] })))
    expect(texts(events).join('')).toBe('Thanks for reaching out! You wrote: Where is it?')
    expect(texts(events)[0]).toBe('Thanks ')
  })
})

describe('GeminiClient: what goes over the wire', () => {
  it('sends the key in the x-goog-api-key header and never in the URL', async () => {
    await collect(makeClient({ apiKey: 'test-key' }).streamReply(makeRequest()))
    expect(emulator.requests).toHaveLength(1)
    const req = emulator.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`)
    expect(req?.path).not.toContain('test-key')
    expect(req?.path).not.toContain('key=')
    expect(req?.headers['x-goog-api-key']).toBe('test-key')
    expect(req?.headers['content-type']).toBe('application/json')
  })

  it('sends the system instruction and every turn, in order, as Gemini contents', async () => {
    const turns: ReplyRequest['turns'] = [
      { role: 'user', text: 'Hi, my parcel is late.' },
      { role: 'model', text: 'Could you give me the order number?' },
      { role: 'model', text: '' }, // a failed draft: Gemini rejects empty parts, so it must not be sent
      { role: 'user', text: 'It is #4521 — ありがとう' },
    ]
    await collect(makeClient().streamReply(makeRequest({ turns, systemInstruction: 'Be brief.\nSign as Acme.' })))
    const body = emulator.requests[0]?.body as Record<string, unknown>
    expect(body.systemInstruction).toEqual({ role: 'system', parts: [{ text: 'Be brief.\nSign as Acme.' }] })
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi, my parcel is late.' }] },
      { role: 'model', parts: [{ text: 'Could you give me the order number?' }] },
      { role: 'user', parts: [{ text: 'It is #4521 — ありがとう' }] },
    ])
  })

  it('tolerates a trailing slash on the base URL', async () => {
    const events = await collect(makeClient({ baseUrl: `${emulator.url}/` }).streamReply(makeRequest()))
    expect(terminal(events).type).toBe('end')
    expect(emulator.requests[0]?.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`)
  })

  it('leaves out an empty system instruction', async () => {
    await collect(makeClient().streamReply(makeRequest({ systemInstruction: '  ' })))
    const body = emulator.requests[0]?.body as Record<string, unknown>
    expect(body.systemInstruction).toBeUndefined()
  })
})

describe('GeminiClient: request errors', () => {
  it('says there is no API key without making a request', async () => {
    for (const apiKey of [undefined, '', '   ']) {
      const events = await collect(makeClient({ apiKey }).streamReply(makeRequest()))
      expect(events).toHaveLength(1)
      const { error } = errorOf(events)
      expect(error.kind).toBe('auth')
      expect(error.retryable).toBe(false)
      expect(error.message).toMatch(/no gemini api key/i)
    }
    expect(emulator.requests).toHaveLength(0)
  })

  it('reports a rejected key as auth, does not retry, and never echoes the key', async () => {
    const secret = 'AIzaSy-not-the-right-key-1234567890'
    const events = await collect(makeClient({ apiKey: secret }).streamReply(makeRequest()))
    const { error } = errorOf(events)
    expect(error).toMatchObject({ kind: 'auth', retryable: false, status: 400 })
    expect(error.message).not.toContain(secret)
    expect(JSON.stringify(events)).not.toContain(secret)
    expect(emulator.requests).toHaveLength(1)
  })

  it('reports an unknown model as invalid input naming the model', async () => {
    const events = await collect(makeClient().streamReply(makeRequest({ model: 'palm-9-ultra-nonexistent' })))
    const { error } = errorOf(events)
    expect(error).toMatchObject({ kind: 'invalid-input', retryable: false, status: 404 })
    expect(error.message).toContain('palm-9-ultra-nonexistent')
    expect(emulator.requests).toHaveLength(1)
  })

  it('refuses a model name that is not a model id, without a request', async () => {
    const events = await collect(makeClient().streamReply(makeRequest({ model: 'gemini/../../x?y' })))
    expect(errorOf(events).error.kind).toBe('invalid-input')
    expect(emulator.requests).toHaveLength(0)
  })

  it('passes Google’s reason for another 400 through, with the key scrubbed', async () => {
    emulator.enqueue(ok([], { fault: { type: 'http-error', status: 400, message: 'Bad field; key test-key seen here' } }))
    const events = await collect(makeClient().streamReply(makeRequest()))
    const { error } = errorOf(events)
    expect(error).toMatchObject({ kind: 'invalid-input', retryable: false, status: 400 })
    expect(error.message).toContain('Bad field')
    expect(error.message).not.toContain('test-key')
    expect(emulator.requests).toHaveLength(1)
  })

  it('treats 403 as auth', async () => {
    emulator.enqueue(ok([], { fault: { type: 'http-error', status: 403 } }))
    const { error } = errorOf(await collect(makeClient().streamReply(makeRequest())))
    expect(error).toMatchObject({ kind: 'auth', retryable: false, status: 403 })
    expect(emulator.requests).toHaveLength(1)
  })
})

describe('GeminiClient: retries before the first text', () => {
  it('waits out a 429 retryDelay, then streams the retry', async () => {
    emulator.enqueue(ok([], { fault: { type: 'http-error', status: 429, retryDelay: '0.4s' } }), ok(['Back ', 'again.']))
    const started = performance.now()
    const events = await collect(makeClient().streamReply(makeRequest()))
    const elapsed = performance.now() - started
    expect(texts(events)).toEqual(['Back ', 'again.'])
    expect(terminal(events).type).toBe('end')
    expect(emulator.requests).toHaveLength(2)
    // Generous lower bound: the backoff alone (0.5 × 10 ms) would have been 5 ms.
    expect(elapsed).toBeGreaterThanOrEqual(350)
  })

  it('does not sit out a 429 delay longer than maxRetryDelayMs: the agent gets the wait instead', async () => {
    emulator.enqueue(ok([], { fault: { type: 'http-error', status: 429, retryDelay: '37s' } }))
    const { error } = errorOf(await collect(makeClient().streamReply(makeRequest())))
    expect(error).toMatchObject({ kind: 'quota', retryable: true, status: 429, retryAfterMs: 37_000 })
    expect(error.message).toContain('37 seconds')
    expect(emulator.requests).toHaveLength(1)
  })

  it('retries 503 up to maxRetries, then reports overloaded as retryable', async () => {
    const overloaded = ok([], { fault: { type: 'http-error', status: 503 } })
    emulator.enqueue(overloaded, overloaded, overloaded, ok(['never sent']))
    const events = await collect(makeClient({ maxRetries: 2 }).streamReply(makeRequest()))
    const { error } = errorOf(events)
    expect(error).toMatchObject({ kind: 'overloaded', retryable: true, status: 503 })
    expect(error.message).toMatch(/overloaded/i)
    expect(texts(events)).toEqual([])
    expect(emulator.requests).toHaveLength(3)
  })

  it('recovers when a 500 or 504 is followed by success', async () => {
    emulator.enqueue(
      ok([], { fault: { type: 'http-error', status: 500 } }),
      ok([], { fault: { type: 'http-error', status: 504 } }),
      ok(['Recovered.']),
    )
    const events = await collect(makeClient({ maxRetries: 2 }).streamReply(makeRequest()))
    expect(texts(events)).toEqual(['Recovered.'])
    expect(terminal(events).type).toBe('end')
    expect(emulator.requests).toHaveLength(3)
  })

  it('retries a connection dropped before any text', async () => {
    emulator.enqueue(ok(['lost'], { fault: { type: 'drop', afterChunks: 0 } }), ok(['Second try.']))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(texts(events)).toEqual(['Second try.'])
    expect(emulator.requests).toHaveLength(2)
  })

  it('reports a refused connection as a retryable network error after the retries', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const events = await collect(makeClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 }).streamReply(makeRequest()))
    const { error } = errorOf(events)
    expect(error).toMatchObject({ kind: 'network', retryable: true })
    expect(error.message).not.toContain('test-key')
  })

  it('ends with cancelled when aborted during a backoff, without another request', async () => {
    emulator.enqueue(ok([], { fault: { type: 'http-error', status: 503 } }), ok(['never']))
    const abort = new AbortController()
    // random 0.5 × 20 s: a backoff that would outlast the test unless the abort cuts it short.
    const client = makeClient({ retryBaseDelayMs: 20_000, maxRetryDelayMs: 20_000 })
    const done = collect(client.streamReply(makeRequest({ signal: abort.signal })))
    await emulator.waitForRequests(1)
    await new Promise((resolve) => setTimeout(resolve, 50))
    abort.abort()
    const { error } = errorOf(await done)
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false })
    expect(emulator.requests).toHaveLength(1)
  })
})

describe('GeminiClient: failures after text has streamed', () => {
  it('keeps partial text and does not retry when the connection drops mid-stream', async () => {
    emulator.enqueue(ok(['Part one, ', 'part two, ', 'part three.'], { fault: { type: 'drop', afterChunks: 2 } }), ok(['retry']))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(texts(events)).toEqual(['Part one, ', 'part two, '])
    const { error } = errorOf(events)
    expect(error).toMatchObject({ kind: 'network', retryable: true })
    expect(emulator.requests).toHaveLength(1)
  })

  it('survives a raw error line mid-stream', async () => {
    emulator.enqueue(ok(['Checking ', 'your order'], { fault: { type: 'error-line', afterChunks: 1, status: 500 } }))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(texts(events)).toEqual(['Checking '])
    expect(errorOf(events).error).toMatchObject({ kind: 'network', retryable: true })
    expect(emulator.requests).toHaveLength(1)
  })

  it('times out a stalled stream after idleTimeoutMs and closes the connection', async () => {
    emulator.enqueue(ok(['Looking ', 'into it'], { fault: { type: 'stall', afterChunks: 1 } }))
    const events = await collect(makeClient({ idleTimeoutMs: 300 }).streamReply(makeRequest()))
    expect(texts(events)).toEqual(['Looking '])
    const { error } = errorOf(events)
    expect(error).toMatchObject({ kind: 'timeout', retryable: true })
    expect(emulator.requests).toHaveLength(1)
    await until(() => emulator.openStreams === 0)
  })

  it('times out (and retries) a request whose answer never starts', async () => {
    emulator.enqueue(ok(['x'], { firstChunkDelayMs: 60_000 }), ok(['On time.']))
    const events = await collect(makeClient({ idleTimeoutMs: 300 }).streamReply(makeRequest()))
    expect(texts(events)).toEqual(['On time.'])
    expect(emulator.requests).toHaveLength(2)
    await until(() => emulator.openStreams === 0)
  })

  it('blocks part-way: keeps the text, then an error of kind blocked with finishReason SAFETY', async () => {
    emulator.enqueue(ok(['Here is ', 'how to ', 'never'], { fault: { type: 'finish-reason', afterChunks: 2, finishReason: 'SAFETY' } }))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(texts(events)).toEqual(['Here is ', 'how to '])
    const closing = errorOf(events)
    expect(closing.finishReason).toBe('SAFETY')
    expect(closing.error).toMatchObject({ kind: 'blocked', retryable: false })
    expect(emulator.requests).toHaveLength(1)
  })

  it('reports a blocked prompt as blocked, with no text', async () => {
    emulator.enqueue(ok(['never'], { fault: { type: 'blocked-prompt', blockReason: 'PROHIBITED_CONTENT' } }))
    const events = await collect(makeClient().streamReply(makeRequest()))
    expect(texts(events)).toEqual([])
    const closing = errorOf(events)
    expect(closing.error).toMatchObject({ kind: 'blocked', retryable: false })
    expect(closing.error.message).toContain('PROHIBITED_CONTENT')
    expect(emulator.requests).toHaveLength(1)
  })
})

describe('GeminiClient: aborts', () => {
  it('ends with cancelled and closes the HTTP stream when the user aborts mid-stream', async () => {
    // Twenty seconds of reply: the stream can only close in time if the abort closed it.
    const chunks = Array.from({ length: 500 }, (_, i) => `word${i} `)
    emulator.enqueue(ok(chunks, { delayMs: 40 }))
    const abort = new AbortController()
    const events = await collect(makeClient().streamReply(makeRequest({ signal: abort.signal })), (e) => {
      if (e.type === 'text' && e.text === 'word1 ') abort.abort()
    })
    expect(errorOf(events).error).toMatchObject({ kind: 'cancelled', retryable: false })
    expect(texts(events)).toEqual(['word0 ', 'word1 '])
    await until(() => emulator.openStreams === 0)
    expect(emulator.requests).toHaveLength(1)
  })

  it('aborts a request that is waiting on a silent server at once, not at the idle timeout', async () => {
    emulator.enqueue(ok(['Hold on ', 'never'], { fault: { type: 'stall', afterChunks: 1 } }))
    const abort = new AbortController()
    let firstText!: () => void
    const gotText = new Promise<void>((resolve) => (firstText = resolve))
    const client = makeClient({ idleTimeoutMs: 60_000 })
    const done = collect(client.streamReply(makeRequest({ signal: abort.signal })), (e) => {
      if (e.type === 'text') firstText()
    })
    await gotText
    expect(emulator.openStreams).toBe(1)
    abort.abort()
    // The idle timer is a minute away: only the abort itself can close the stream this soon.
    await until(() => emulator.openStreams === 0)
    const events = await done
    expect(texts(events)).toEqual(['Hold on '])
    expect(errorOf(events).error).toMatchObject({ kind: 'cancelled', retryable: false })
  })

  it('aborts the HTTP request when the consumer stops listening', async () => {
    emulator.enqueue(
      ok(
        Array.from({ length: 500 }, (_, i) => `w${i} `),
        { delayMs: 40 },
      ),
    )
    for await (const e of makeClient().streamReply(makeRequest())) {
      if (e.type === 'text') break
    }
    await until(() => emulator.openStreams === 0)
  })

  it('does not start a request for an already aborted signal', async () => {
    const abort = new AbortController()
    abort.abort()
    const events = await collect(makeClient().streamReply(makeRequest({ signal: abort.signal })))
    expect(errorOf(events).error.kind).toBe('cancelled')
    expect(emulator.requests).toHaveLength(0)
  })
})

describe('GeminiEmulator on the wire', () => {
  const streamPath = `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`
  const post = (path: string, body: string, key = 'test-key'): Promise<Response> =>
    fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
      body,
    })

  it('frames each chunk as one `data:` line ending in CRLF CRLF, escaping U+2028', async () => {
    emulator.enqueue(ok(['a\u2028b', 'c']))
    const res = await post(streamPath, JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const raw = await res.text()
    const events = raw.split('\r\n\r\n').filter(Boolean)
    expect(events).toHaveLength(2)
    expect(raw).not.toContain('\u2028')
    expect(raw).toContain('\\u2028')
    const parsed = events.map((e) => {
      expect(e.startsWith('data: ')).toBe(true)
      return JSON.parse(e.slice('data: '.length)) as {
        candidates: { content: { role: string; parts: { text: string }[] }; finishReason?: string; index: number }[]
        usageMetadata: Record<string, number>
        modelVersion: string
        responseId: string
      }
    })
    expect(parsed[0]?.candidates[0]?.content).toEqual({ role: 'model', parts: [{ text: 'a\u2028b' }] })
    expect(parsed[0]?.candidates[0]?.finishReason).toBeUndefined()
    expect(parsed[1]?.candidates[0]?.finishReason).toBe('STOP')
    expect(parsed[1]?.usageMetadata.candidatesTokenCount).toBeGreaterThan(0)
    expect(parsed[1]?.modelVersion).toBe(MODEL)
    expect(parsed[0]?.responseId).toBe(parsed[1]?.responseId)
  })

  it('answers malformed JSON with 400 INVALID_ARGUMENT and keeps serving', async () => {
    const bad = await post(streamPath, '{"contents": [')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT')
    const empty = await post(streamPath, '{}')
    expect(empty.status).toBe(400)
    await empty.text()
    const good = await post(streamPath, JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'ok' }] }] }))
    expect(good.status).toBe(200)
    await good.text()
  })

  it('answers a wrong key with 400 API_KEY_INVALID and counts tokens', async () => {
    const wrong = await post(`/v1beta/models/${MODEL}:countTokens`, '{}', 'nope')
    expect(wrong.status).toBe(400)
    const body = (await wrong.json()) as { error: { details: { reason?: string }[] } }
    expect(body.error.details.some((d) => d.reason === 'API_KEY_INVALID')).toBe(true)
    const count = await post(
      `/v1beta/models/${MODEL}:countTokens`,
      JSON.stringify({ generateContentRequest: { model: `models/${MODEL}`, contents: [{ role: 'user', parts: [{ text: 'twelve chars' }] }] } }),
    )
    expect(await count.json()).toEqual({ totalTokens: 3 })
  })

  it('serves unary generateContent from the same queue', async () => {
    emulator.enqueue(ok(['Hello ', 'there.']))
    const res = await post(`/v1beta/models/${MODEL}:generateContent`, JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }))
    const body = (await res.json()) as { candidates: { content: { parts: { text: string }[] }; finishReason: string }[] }
    expect(body.candidates[0]?.content.parts[0]?.text).toBe('Hello there.')
    expect(body.candidates[0]?.finishReason).toBe('STOP')
  })
})
