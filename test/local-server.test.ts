// The local server end to end: real HTTP on 127.0.0.1, the real SDK against the Gemini emulator,
// a real SQLite file. Each test reads what an integration would see and what was saved.
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { ConversationDetail, ConversationPage } from '../src/shared/domain'
import { MAX_MESSAGE_CHARS } from '../src/shared/limits'
import { harnessPerTest, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { isDone, openSse, replyText, type ReceivedEvent } from './helpers/sse-client'
import { waitFor } from './helpers/wait-for'

const start = harnessPerTest()

const json = (h: Harness, path: string): Promise<Response> => fetch(`${h.url}${path}`, { headers: h.headers })
// Response.json() is untyped; each test states what it expects to read.
const body = async <T = { error: { code: string; message: string } }>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T
const detail = (h: Harness, id: number): Promise<ConversationDetail> => body(json(h, `/api/conversations/${id}`))
const named = (events: ReceivedEvent[], name: string): ReceivedEvent[] => events.filter((e) => e.event === name)
const meta = (events: ReceivedEvent[]): { conversationId: number; messageId: number; model: string } =>
  JSON.parse(named(events, 'meta')[0]?.data ?? 'null')

describe('GET /chat/stream', () => {
  it('streams reply chunks as data events with ids, metadata as named events, then [DONE], and saves the transcript', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['Hello', ' there', ', how can I help?'], delayMs: 5 })
    const sse = await openSse(h.authed('/chat/stream?message=My%20order%20is%20late'))
    expect(sse.response.status).toBe(200)
    expect(sse.response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(sse.response.headers.get('cache-control')).toMatch(/no-cache/)
    expect(sse.response.headers.get('x-accel-buffering')).toBe('no')
    const events = await sse.readUntil(isDone)

    expect(events[0]?.event).toBe('meta')
    expect(events.at(-1)?.data).toBe('[DONE]')
    expect(events.every((e) => /^\d+-\d+(\.\d+)?$/.test(e.id ?? ''))).toBe(true)
    // Every SSE event has its own id, so a reconnect can resume after any of them.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    expect(replyText(events)).toBe('Hello there, how can I help?')
    expect(named(events, 'message').map((e) => e.data)).toEqual(['Hello', ' there', ', how can I help?', '[DONE]'])
    const usage = JSON.parse(named(events, 'usage')[0]?.data ?? '{}')
    expect(usage.totalTokens).toBeGreaterThan(0)
    expect(JSON.parse(named(events, 'end')[0]?.data ?? '{}')).toMatchObject({ status: 'complete', finishReason: 'STOP' })
    expect(sse.raw).toMatch(/^retry: \d+/)

    const { conversationId, messageId, model } = meta(events)
    const saved = await detail(h, conversationId)
    expect(saved.conversation.source).toBe('app')
    expect(saved.messages.map((m) => [m.role, m.text, m.status])).toEqual([
      ['customer', 'My order is late', 'complete'],
      ['assistant_draft', 'Hello there, how can I help?', 'complete'],
    ])
    const draft = saved.messages[1]
    expect(draft).toMatchObject({ id: messageId, model, finishReason: 'STOP' })
    expect(draft?.usage.totalTokens).toBe(usage.totalTokens)
    expect(draft?.firstTokenMs).toBeGreaterThanOrEqual(0)
    expect(draft?.durationMs).toBeGreaterThanOrEqual(draft?.firstTokenMs ?? 0)
  })

  it('delivers multi-line, non-Latin and terminator-like text exactly as an EventSource would rejoin it', async () => {
    const h = await start()
    const chunks = ['Здравствуйте!\n\n', '您好，', '🙂 مرحبا\n- one\n- two\n', '[DONE]', '\n[DONE]\n', '```\ncode\n```', 'line\u2028sep']
    h.emulator.enqueue({ chunks })
    const events = await (await openSse(h.authed('/chat/stream?message=hi'))).readUntil(isDone)
    expect(replyText(events)).toBe(chunks.join(''))
    expect(events.filter(isDone)).toHaveLength(1)
    expect((await detail(h, meta(events).conversationId)).messages[1]?.text).toBe(chunks.join(''))
  })

  it('continues a conversation with its earlier turns sent to Gemini, and records the source', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['First answer.'] }, { chunks: ['Second answer.'] })
    const first = await (await openSse(h.authed('/chat/stream?message=first%20question&source=crm-plugin'))).readUntil(isDone)
    const { conversationId } = meta(first)
    const second = await (
      await openSse(h.authed(`/chat/stream?message=second%20question&conversation_id=${conversationId}&source=crm-plugin`))
    ).readUntil(isDone)
    expect(meta(second).conversationId).toBe(conversationId)
    const body = h.emulator.requests.filter((r) => r.path.includes('streamGenerateContent')).at(-1)?.body as {
      contents: Array<{ role: string; parts: Array<{ text: string }> }>
      systemInstruction: { parts: Array<{ text: string }> }
    }
    expect(body.contents.map((c) => [c.role, c.parts[0]?.text])).toEqual([
      ['user', 'first question'],
      ['model', 'First answer.'],
      ['user', 'second question'],
    ])
    expect(body.systemInstruction.parts[0]?.text).toMatch(/support agent/)
    const saved = await detail(h, conversationId)
    expect(saved.messages).toHaveLength(4)
    expect(saved.messages.every((m) => m.source === 'crm-plugin')).toBe(true)
  })
})

describe('POST /chat/stream', () => {
  it('answers a JSON body with the same stream', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['Sure', ' thing'] })
    const long = 'x'.repeat(5_000)
    const sse = await openSse(`${h.url}/chat/stream`, {
      method: 'POST',
      headers: { ...h.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: `Please help ${long}`, source: 'zendesk' }),
    })
    const events = await sse.readUntil(isDone)
    expect(replyText(events)).toBe('Sure thing')
    const saved = await detail(h, meta(events).conversationId)
    expect(saved.messages[0]?.text).toBe(`Please help ${long}`)
    expect(saved.conversation.source).toBe('zendesk')
  })
})

describe('security', () => {
  it('needs the token on everything but /health, which reveals nothing', async () => {
    const h = await start()
    const health = await fetch(`${h.url}/health`)
    expect(health.status).toBe(200)
    expect(await body(health)).toEqual({ status: 'ok' })
    for (const path of ['/api/conversations', '/chat/stream?message=hi', '/conversations/1/events']) {
      const none = await fetch(`${h.url}${path}`)
      expect(none.status).toBe(401)
      expect((await body(none)).error.message).toMatch(/token/)
      const wrong = await fetch(`${h.url}${path}`, { headers: { Authorization: 'Bearer not-the-token' } })
      expect(wrong.status).toBe(401)
    }
    expect((await fetch(`${h.url}/api/conversations?token=${TEST_TOKEN}`)).status).toBe(200)
    expect((await json(h, '/api/conversations')).status).toBe(200)
    expect(h.emulator.requests).toHaveLength(0)
  })

  it('refuses a Host header that is not a loopback name (DNS rebinding)', async () => {
    const h = await start()
    const status = (host: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${h.url}/api/conversations`, { headers: { Host: host, Authorization: `Bearer ${TEST_TOKEN}` } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end()
      })
    expect(await status('evil.example.com')).toBe(403)
    expect(await status(`evil.example.com:${h.core.server.port}`)).toBe(403)
    expect(await status(`localhost:${h.core.server.port}`)).toBe(200)
    expect(await status(`127.0.0.1:${h.core.server.port}`)).toBe(200)
  })

  it('allows only configured browser origins, never a wildcard', async () => {
    const h = await start({ settings: { allowedOrigins: ['https://helpdesk.example.com'] } })
    // A page on another site uses an integration key; the console's own token is refused there (integration-keys-http.test.ts).
    const { secret } = await h.core.api.createIntegrationKey({ name: 'Helpdesk', scopes: ['read'] })
    const allowed = await fetch(`${h.url}/api/conversations`, {
      headers: { Authorization: `Bearer ${secret}`, Origin: 'https://helpdesk.example.com' },
    })
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://helpdesk.example.com')
    const preflight = await fetch(`${h.url}/chat/stream`, { method: 'OPTIONS', headers: { Origin: 'https://helpdesk.example.com' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    const other = await fetch(`${h.url}/chat/stream?message=hi`, { headers: { ...h.headers, Origin: 'https://evil.example.com' } })
    expect(other.status).toBe(403)
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    expect(h.emulator.requests).toHaveLength(0)
  })
})

describe('limits', () => {
  // Small limits so the test is quick; the real ones are the named constants in local-server.ts.
  const limits = { headersTimeoutMs: 300, requestTimeoutMs: 400, bodyIdleTimeoutMs: 250, connectionsCheckingIntervalMs: 50 }

  /** Sends the headers of a chunked POST, then `chunk` every `everyMs`; resolves with what came back and when the server closed. */
  function trickle(h: Harness, path: string, chunk: string, everyMs: number): Promise<{ closedAfterMs: number; received: string }> {
    return new Promise((resolve) => {
      const socket = connect(h.core.server.port, '127.0.0.1')
      const started = Date.now()
      let received = ''
      let timer: NodeJS.Timeout | undefined
      socket.on('connect', () => {
        socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`)
        timer = setInterval(() => socket.writable && socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`), everyMs)
      })
      socket.on('data', (data) => (received += data.toString('utf8')))
      socket.on('error', () => {})
      socket.on('close', () => {
        clearInterval(timer)
        resolve({ closedAfterMs: Date.now() - started, received })
      })
      // A bound for the test itself: the server is expected to close long before.
      setTimeout(() => socket.destroy(), 5_000).unref()
    })
  }

  it('cuts a client that sends headers and then trickles an endless body without a token', async () => {
    const h = await start({ limits })
    const trickled = await trickle(h, '/chat/stream', ' ', 40)
    expect(trickled.received).toMatch(/^HTTP\/1\.1 401/)
    expect(trickled.closedAfterMs).toBeLessThan(2_000)
    // A body that stalls is cut by the idle limit, long before the request limit would.
    const stalled = await trickle(h, '/chat/stream', ' ', 60_000)
    expect(stalled.closedAfterMs).toBeLessThan(2_000)
    expect((await fetch(`${h.url}/health`)).status).toBe(200)
    expect(h.emulator.requests).toHaveLength(0)
  })

  it('does not cut a long SSE response, GET or POST, however long after its request it runs', async () => {
    const h = await start({ limits })
    const chunks = Array.from({ length: 6 }, (_, i) => `w${i} `)
    // Each chunk comes later than every limit above, so the whole stream outlasts them several times over.
    h.emulator.enqueue({ chunks, delayMs: 450 }, { chunks, delayMs: 450 })
    const [get, post] = await Promise.all([
      openSse(h.authed('/chat/stream?message=hello')),
      openSse(`${h.url}/chat/stream`, {
        method: 'POST',
        headers: { ...h.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'hello' }),
      }),
    ])
    const started = Date.now()
    const [fromGet, fromPost] = await Promise.all([get.readUntil(isDone), post.readUntil(isDone)])
    expect(Date.now() - started).toBeGreaterThan(limits.requestTimeoutMs * 4)
    expect(replyText(fromGet)).toBe(chunks.join(''))
    expect(replyText(fromPost)).toBe(chunks.join(''))
  })
})

describe('bad input', () => {
  it('answers each with a JSON 4xx and a clear message, and stays up', async () => {
    const h = await start({ settings: { maxConcurrentStreams: 50 } })
    const post = (body: string, type = 'application/json'): Promise<Response> =>
      fetch(`${h.url}/chat/stream`, { method: 'POST', headers: { ...h.headers, 'Content-Type': type }, body })
    const cases: Array<[() => Promise<Response>, number, RegExp]> = [
      [() => json(h, '/chat/stream'), 400, /message is required/],
      [() => json(h, '/chat/stream?message=%20%20'), 400, /must not be empty/],
      [() => json(h, `/chat/stream?message=${'a'.repeat(MAX_MESSAGE_CHARS + 1)}`), 400, /longer than/],
      [() => post('{"message": '), 400, /not valid JSON/],
      [() => post('message=hi', 'application/x-www-form-urlencoded'), 415, /JSON/],
      [() => post(JSON.stringify({ message: 'a'.repeat(MAX_MESSAGE_CHARS * 7) })), 413, /larger than/],
      [() => json(h, '/chat/stream?message=hi&conversation_id=999'), 404, /does not exist/],
      [() => json(h, '/chat/stream?message=hi&conversation_id=abc'), 400, /number/],
      [() => json(h, '/chat/stream?message=hi&source=%3Cscript%3E'), 400, /source/],
      [() => json(h, '/api/conversations/999'), 404, /does not exist/],
      [() => json(h, '/api/conversations?limit=0'), 400, /limit/],
      [() => json(h, '/api/conversations?cursor=garbage'), 400, /cursor/],
      [() => json(h, '/conversations/999/events'), 404, /does not exist/],
      [() => json(h, '/nowhere'), 404, /Nothing at/],
      [() => json(h, `/chat/stream?message=${'a'.repeat(70_000)}`), 431, /use POST|send long messages with POST/],
      [() => fetch(`${h.url}/chat/stream`, { method: 'DELETE', headers: h.headers }), 405, /Use GET or POST/],
      [() => fetch(`${h.url}/chat/stream?message=hi`, { headers: { ...h.headers, 'Last-Event-ID': 'nonsense' } }), 400, /Last-Event-ID/],
    ]
    for (const [send, status, message] of cases) {
      const r = await send()
      expect(r.status, `${message}`).toBe(status)
      expect(r.headers.get('content-type')).toMatch(/application\/json/)
      expect((await body(r)).error.message).toMatch(message)
    }
    expect(h.emulator.requests).toHaveLength(0)
    expect((await fetch(`${h.url}/health`)).status).toBe(200)
  })

  it('answers a chunked body over the limit with its 413, drops the rest, and goes on to the next request', async () => {
    const h = await start()
    // No Content-Length to refuse it by: it is refused while being read, and the rest of it is read and dropped.
    const chunk = JSON.stringify({ title: 'x'.repeat(30_000) })
    const received = await new Promise<string>((resolve) => {
      const socket = connect(h.core.server.port, '127.0.0.1')
      let text = ''
      socket.on('connect', () => {
        socket.write(
          `POST /api/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TEST_TOKEN}\r\nContent-Type: application/json\r\n` +
            `Transfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n` +
            `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        )
      })
      socket.on('data', (data) => (text += data.toString('utf8')))
      socket.on('error', () => {})
      socket.on('close', () => resolve(text))
      setTimeout(() => socket.destroy(), 5_000).unref()
    })
    expect(received).toMatch(/^HTTP\/1\.1 413 [^]*"code":"payload-too-large"[^]*HTTP\/1\.1 200 [^]*\{"status":"ok"\}/)
    expect((await body<ConversationPage>(json(h, '/api/conversations'))).conversations).toHaveLength(0)
  })

  it('refuses streams beyond the concurrency limit with 429', async () => {
    const h = await start({ settings: { maxConcurrentStreams: 1 } })
    h.emulator.enqueue({ chunks: ['a'], fault: { type: 'stall', afterChunks: 1 } })
    const first = await openSse(h.authed('/chat/stream?message=one'))
    await first.readUntil((e) => e.event === 'message')
    const second = await json(h, '/chat/stream?message=two')
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toBeTruthy()
    expect((await body(second)).error.message).toMatch(/limit is 1/)
    first.close()
  })

  it('refuses a second draft while one is live in the conversation', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['First'], fault: { type: 'stall', afterChunks: 1 } })
    const first = await openSse(h.authed('/chat/stream?message=one'))
    const events = await first.readUntil((e) => e.event === 'message')
    const conflict = await json(h, `/chat/stream?message=two&conversation_id=${meta(events).conversationId}`)
    expect(conflict.status).toBe(409)
    first.close()
  })
})

describe('reconnects and listeners', () => {
  it('resumes a reconnecting client from Last-Event-ID without starting a new generation', async () => {
    const h = await start({ settings: { disconnectGraceMs: 5_000 } })
    const chunks = Array.from({ length: 30 }, (_, i) => `w${i} `)
    h.emulator.enqueue({ chunks, delayMs: 15 })
    const first = await openSse(h.authed('/chat/stream?message=hello'))
    const before = await first.readUntil((e) => e.data === 'w4 ')
    first.close()
    const lastId = before.at(-1)?.id as string
    const second = await openSse(h.authed('/chat/stream?message=hello'), { headers: { 'Last-Event-ID': lastId } })
    const after = await second.readUntil(isDone)
    expect(replyText(before) + replyText(after)).toBe(chunks.join(''))
    expect(h.emulator.requests.filter((r) => r.path.includes('streamGenerateContent'))).toHaveLength(1)
    // Having everything, a further reconnect is told there is nothing more (EventSource stops on 204).
    const third = await fetch(h.authed('/chat/stream?message=hello'), { headers: { 'Last-Event-ID': after.at(-1)?.id as string } })
    expect(third.status).toBe(204)
  })

  it('aborts the Gemini request after the grace period once the last listener has gone, saving the text as stopped', async () => {
    const h = await start({ settings: { disconnectGraceMs: 200 } })
    h.emulator.enqueue({ chunks: ['Partial', ' text'], fault: { type: 'stall', afterChunks: 2 } })
    const sse = await openSse(h.authed('/chat/stream?message=hello'))
    const events = await sse.readUntil((e) => e.data === ' text')
    await waitFor(() => h.emulator.openStreams === 1, 'the emulator stream')
    sse.close()
    await waitFor(() => h.emulator.openStreams === 0, 'the Gemini request to be aborted')
    await waitFor(async () => (await detail(h, meta(events).conversationId)).messages[1]?.status === 'stopped', 'the stopped status')
    const draft = (await detail(h, meta(events).conversationId)).messages[1]
    expect(draft).toMatchObject({ text: 'Partial text', status: 'stopped', errorKind: 'cancelled' })
  })

  it('lets another client follow a conversation live, whichever client started the generation', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['one ', 'two ', 'three'], delayMs: 30 }, { chunks: ['again'] })
    const starter = await openSse(h.authed('/chat/stream?message=hello'))
    const started = await starter.readUntil((e) => e.event === 'meta')
    const { conversationId } = meta(started)
    const follower = await openSse(h.authed(`/conversations/${conversationId}/events`))
    const followed = await follower.readUntil((e) => e.event === 'end')
    const starterRest = await starter.readUntil(isDone)
    expect(replyText(followed)).toBe('one two three')
    expect(replyText(starterRest)).toBe('one two three')
    expect(followed.some(isDone)).toBe(false)
    // A later generation in the same conversation reaches the follower too.
    await (await openSse(h.authed(`/chat/stream?message=more&conversation_id=${conversationId}`))).readUntil(isDone)
    const next = await follower.readUntil((e) => e.event === 'end')
    expect(replyText(next)).toBe('again')
    follower.close()
  })

  it('lets go of each finished draft while a follower stays connected (no listener per draft it saw)', async () => {
    const h = await start()
    const { id } = await h.core.api.createConversation({})
    await h.core.api.addCustomerMessage(id, 'hello')
    const follower = await openSse(h.authed(`/conversations/${id}/events`))
    const listenersLeft: number[] = []
    for (const word of ['one', 'two', 'three']) {
      h.emulator.enqueue({ chunks: [word] })
      const { messageId } = await h.core.api.startDraft(id)
      const generation = h.core.hub.find(messageId)
      expect(replyText(await follower.readUntil((e) => e.event === 'end'))).toBe(word)
      listenersLeft.push(generation?.listenerCount ?? -1)
    }
    expect(listenersLeft).toEqual([0, 0, 0])
    follower.close()
  })

  it('replays to a reconnecting follower every draft that started and ended while it was away, in order, then follows live', async () => {
    const h = await start({ settings: { disconnectGraceMs: 5_000 } })
    const { id } = await h.core.api.createConversation({})
    await h.core.api.addCustomerMessage(id, 'hello')
    const chunks = Array.from({ length: 12 }, (_, i) => `a${i} `)
    h.emulator.enqueue({ chunks, delayMs: 10 })
    const first = await openSse(h.authed(`/conversations/${id}/events`))
    const a = await h.core.api.startDraft(id)
    const before = await first.readUntil((e) => e.data === 'a2 ')
    first.close()
    await waitFor(() => h.core.hub.liveIn(id) === undefined, 'draft A to end while nobody follows')
    // Draft B starts and ends entirely while the follower is away.
    h.emulator.enqueue({ chunks: ['b0 ', 'b1'] })
    const b = await h.core.api.startDraft(id)
    await waitFor(() => h.core.hub.liveIn(id) === undefined, 'draft B to end while nobody follows')

    const again = await openSse(h.authed(`/conversations/${id}/events`), { headers: { 'Last-Event-ID': before.at(-1)?.id as string } })
    h.emulator.enqueue({ chunks: ['c0'] })
    const c = await h.core.api.startDraft(id)
    const endOf = (events: ReceivedEvent[]): number => JSON.parse(named(events, 'end')[0]?.data ?? '{}').messageId
    // Until C's end: without the replay of B, that comes second.
    const ends: ReceivedEvent[][] = []
    do ends.push(await again.readUntil((e) => e.event === 'end'))
    while (endOf(ends.at(-1) ?? []) !== c.messageId && ends.length < 3)
    again.close()
    expect(ends.map(endOf)).toEqual([a.messageId, b.messageId, c.messageId])
    expect(replyText([...before, ...(ends[0] ?? [])])).toBe(chunks.join(''))
    expect(replyText(ends[1] ?? [])).toBe('b0 b1')
    expect(replyText(ends[2] ?? [])).toBe('c0')
  })

  it('disconnects a client that stops reading without holding up the others', async () => {
    const h = await start({ sse: { maxBufferedBytes: 64 * 1024 } })
    const chunks = Array.from({ length: 1_500 }, (_, i) => `${i}:${'z'.repeat(8_000)}\n`)
    h.emulator.enqueue({ chunks: ['start '], fault: { type: 'stall', afterChunks: 1 } })
    const starter = await openSse(h.authed('/chat/stream?message=go'))
    // Its first text: Gemini has taken the stalling reply, so the next one queued is the reader's.
    const { conversationId } = meta(await starter.readUntil((e) => e.event === 'message'))
    starter.close()
    // A reader that never reads: pause its socket.
    const stuck = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      httpRequest(h.authed(`/conversations/${conversationId}/events`), (res) => {
        res.pause()
        resolve(res)
      }).end()
    })
    h.emulator.enqueue({ chunks, delayMs: 1 })
    await h.core.hub.stopAll('shutdown').catch(() => {})
    const reader = await openSse(h.authed(`/chat/stream?message=big&conversation_id=${conversationId}`))
    const events = await reader.readUntil(isDone)
    expect(replyText(events)).toBe(chunks.join(''))
    // The server let go of the stuck reader (the client, paused, has not even read the close yet).
    await waitFor(() => h.core.server.openStreams === 0, 'the stuck client to be disconnected')
    stuck.destroy()
  })
})

describe('Gemini failures', () => {
  it('sends a JSON error event, keeps partial text, and saves the draft as error', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['Partial ', 'answer'], fault: { type: 'drop', afterChunks: 2 } })
    const events = await (await openSse(h.authed('/chat/stream?message=hi'))).readUntil(isDone)
    expect(replyText(events)).toBe('Partial answer')
    const error = JSON.parse(named(events, 'error')[0]?.data ?? '{}')
    expect(error).toMatchObject({ kind: 'network', retryable: true })
    const draft = (await detail(h, meta(events).conversationId)).messages[1]
    expect(draft).toMatchObject({ text: 'Partial answer', status: 'error', errorKind: 'network' })
    // The process and server are fine afterwards.
    h.emulator.enqueue({ chunks: ['ok'] })
    expect(replyText(await (await openSse(h.authed('/chat/stream?message=again'))).readUntil(isDone))).toBe('ok')
  })

  it('saves a blocked prompt as blocked', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: [], fault: { type: 'blocked-prompt' } })
    const events = await (await openSse(h.authed('/chat/stream?message=hi'))).readUntil(isDone)
    expect(JSON.parse(named(events, 'error')[0]?.data ?? '{}')).toMatchObject({ kind: 'blocked', retryable: false })
    expect((await detail(h, meta(events).conversationId)).messages[1]?.status).toBe('blocked')
  })

  it('without an API key answers with a clear error while everything else works', async () => {
    const h = await start({ env: { GEMINI_API_KEY: '' } })
    const events = await (await openSse(h.authed('/chat/stream?message=hi'))).readUntil(isDone)
    const error = JSON.parse(named(events, 'error')[0]?.data ?? '{}')
    expect(error).toMatchObject({ kind: 'auth', retryable: false })
    expect(error.message).toMatch(/API key/i)
    expect(h.emulator.requests).toHaveLength(0)
    const page = await body<ConversationPage>(await json(h, '/api/conversations'))
    expect(page.conversations).toHaveLength(1)
  })
})

describe('lifecycle', () => {
  it('saves running drafts as stopped on shutdown, and keeps transcripts across a restart', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['Half a'], fault: { type: 'stall', afterChunks: 1 } })
    const sse = await openSse(h.authed('/chat/stream?message=hi'))
    const events = await sse.readUntil((e) => e.data === 'Half a')
    const core = await h.restart()
    await waitFor(() => h.emulator.openStreams === 0, 'the Gemini request to be aborted')
    const saved = core.store.getDetail(meta(events).conversationId)
    expect(saved?.messages[1]).toMatchObject({ text: 'Half a', status: 'stopped' })
  })

  it('sends heartbeat comments while a stream is quiet', async () => {
    const h = await start({ sse: { heartbeatMs: 50 } })
    h.emulator.enqueue({ chunks: ['a'], fault: { type: 'stall', afterChunks: 1 } })
    const sse = await openSse(h.authed('/chat/stream?message=hi'))
    await sse.readUntil((e) => e.data === 'a')
    await waitFor(async () => {
      await Promise.race([sse.next(), new Promise((r) => setTimeout(r, 60))])
      return sse.comments.includes('heartbeat')
    }, 'a heartbeat')
    sse.close()
  })
})

describe('JSON API', () => {
  it('lists conversations newest first, pages by cursor and searches message text', async () => {
    const h = await start()
    for (const word of ['alpha', 'bravo', 'charlie']) {
      h.emulator.enqueue({ chunks: [`reply about ${word}`] })
      await (await openSse(h.authed(`/chat/stream?message=question%20${word}`))).readUntil(isDone)
    }
    const page1 = await body<ConversationPage>(await json(h, '/api/conversations?limit=2'))
    expect(page1.conversations.map((c) => c.title)).toEqual(['question charlie', 'question bravo'])
    const page2 = await body<ConversationPage>(await json(h, `/api/conversations?limit=2&cursor=${page1.nextCursor}`))
    expect(page2.conversations.map((c) => c.title)).toEqual(['question alpha'])
    expect(page2.nextCursor).toBeNull()
    const found = await body<ConversationPage>(await json(h, '/api/conversations?q=bravo'))
    expect(found.conversations).toHaveLength(1)
    expect(found.conversations[0]?.hit?.snippet).toContain('bravo')
  })
})
