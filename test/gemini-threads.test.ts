// GeminiThreads: GeminiClient on worker threads, the model the core drafts with. The real SDK in the real thread
// module, over real HTTP against the emulator; the same contract as GeminiClient (events in order, one closing
// event, never a rejection), plus what threads add: a thread that dies mid-draft, one that never starts, and the
// desktop bundle's built copy of the thread.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { GeminiClient } from '../src/main/core/gemini/client'
import { GeminiThreads } from '../src/main/core/gemini/gemini-threads'
import { TRANSPORT_HEADER } from '../src/main/core/gemini/http-transport'
import type { GeminiClientOptions, ReplyEvent, ReplyRequest } from '../src/main/core/gemini/types'
import { GeminiEmulator } from './emulator/gemini-emulator'

let emulator: GeminiEmulator
const pools: GeminiThreads[] = []
beforeEach(async () => {
  emulator = await GeminiEmulator.start()
})
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()))
  await emulator.close()
  vi.restoreAllMocks()
})

const clientOptions = (overrides: Partial<GeminiClientOptions> = {}): GeminiClientOptions => ({
  apiKey: () => 'test-key',
  baseUrl: emulator.url,
  idleTimeoutMs: 5_000,
  maxRetries: 0,
  retryBaseDelayMs: 10,
  maxRetryDelayMs: 100,
  ...overrides,
})

function threads(
  options: { threads?: number; entry?: URL; client?: Partial<GeminiClientOptions>; idleStopMs?: number; schedule?: (task: () => void) => void } = {},
): GeminiThreads {
  const { client, threads: count, ...rest } = options
  const pool = new GeminiThreads({ client: clientOptions(client), threads: count ?? 2, ...rest })
  pools.push(pool)
  return pool
}

const request = (overrides: Partial<ReplyRequest> = {}): ReplyRequest => ({
  model: 'gemini-2.5-flash',
  systemInstruction: 'Be brief.',
  turns: [{ role: 'user', text: 'Where is my parcel?' }],
  signal: new AbortController().signal,
  ...overrides,
})

async function draft(model: { deliverReply(r: ReplyRequest, sink: (e: ReplyEvent) => void): Promise<void> }, r = request()): Promise<ReplyEvent[]> {
  const events: ReplyEvent[] = []
  await model.deliverReply(r, (event) => events.push(event))
  return events
}

const textOf = (events: ReplyEvent[]): string => events.map((e) => (e.type === 'text' ? e.text : '')).join('')

describe('GeminiThreads', () => {
  it('gives every draft the same events as GeminiClient on the main thread, with drafts spread over the threads', async () => {
    emulator.setDefaultReply((r) => ({ chunks: [`Reply to `, `"${r.lastUserText}" `, 'with ✓ and 日本語.'], promptTokens: 9, delayMs: 5 }))
    const pool = threads({ threads: 2 })
    const asked = Array.from({ length: 12 }, (_, i) => request({ turns: [{ role: 'user', text: `question ${i}` }] }))
    const onThreads = await Promise.all(asked.map((r) => draft(pool, r)))
    const inProcess = await Promise.all(asked.map((r) => draft(new GeminiClient(clientOptions()), r)))
    expect(onThreads).toEqual(inProcess)
    expect(textOf(onThreads[3] ?? [])).toBe('Reply to "question 3" with ✓ and 日本語.')
    expect(onThreads[0]?.at(-1)).toEqual({ type: 'end', finishReason: 'STOP' })
    expect(pool.threadCount).toBe(2)
    expect(pool.onMainThread).toBe(false)
    // On the threads too, the SDK's requests go through the node:http transport: undici's fetch adds headers of
    // its own (sec-fetch-mode, accept-language) and would have sent the transport's marker on.
    for (const sent of emulator.requests) {
      expect(sent.headers['x-goog-api-client']).toMatch(/^genai-js\//)
      expect(sent.headers['sec-fetch-mode']).toBeUndefined()
      expect(sent.headers[TRANSPORT_HEADER]).toBeUndefined()
    }
  })

  it('delivers events through the scheduler it is given, in order, and nothing of a draft closed meanwhile', async () => {
    emulator.setDefaultReply(() => ({ chunks: ['a ', 'b ', 'c'] }))
    const queued: (() => void)[] = []
    const pool = threads({ schedule: (task) => queued.push(task) })
    const events: ReplyEvent[] = []
    let done = false
    void pool.deliverReply(request(), (event) => events.push(event)).then(() => (done = true))
    await expect.poll(() => queued.length).toBeGreaterThanOrEqual(7)
    expect(events).toEqual([])
    for (const task of queued.splice(0)) task()
    expect(textOf(events)).toBe('a b c')
    expect(events.at(-1)).toEqual({ type: 'end', finishReason: 'STOP' })
    await expect.poll(() => done).toBe(true)

    // Events still queued when the pool closes are dropped: the draft already ended, as cancelled.
    const late: ReplyEvent[] = []
    void pool.deliverReply(request(), (event) => late.push(event))
    await expect.poll(() => queued.length).toBeGreaterThanOrEqual(7)
    await pool.close()
    for (const task of queued.splice(0)) task()
    expect(late).toEqual([{ type: 'error', error: expect.objectContaining({ kind: 'cancelled' }), finishReason: null }])
  })

  it('starts one thread while drafts come one at a time', async () => {
    const pool = threads({ threads: 4 })
    for (let i = 0; i < 3; i++) expect((await draft(pool)).at(-1)?.type).toBe('end')
    expect(pool.threadCount).toBe(1)
  })

  it('replaces a thread that has had no draft for idleStopMs with a fresh one, which the next draft uses', async () => {
    const pool = threads({ idleStopMs: 100 })
    const controller = new AbortController()
    emulator.enqueue({ chunks: ['Slow '], fault: { type: 'stall', afterChunks: 1 } })
    const events: ReplyEvent[] = []
    const running = pool.deliverReply(request({ signal: controller.signal }), (event) => events.push(event))
    await expect.poll(() => events.length).toBeGreaterThan(0)
    // Busy for longer than idleStopMs: still there.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(pool.threadCount).toBe(1)
    expect(pool.threadsStarted).toBe(1)
    controller.abort()
    await running
    await expect.poll(() => pool.threadsStarted).toBe(2)
    expect(pool.threadCount).toBe(1)
    expect(textOf(await draft(pool))).toContain('Where is my parcel?')
    expect(pool.threadsStarted).toBe(2)
    // A fresh thread that has run nothing is never replaced: a pool left alone stays at one thread.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(pool.threadsStarted).toBe(3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(pool.threadsStarted).toBe(3)
    expect(pool.threadCount).toBe(1)
  })

  it("reads the API key on the main thread for each draft, and reports Gemini's errors as GeminiClient does", async () => {
    let key: string | undefined = 'test-key'
    const pool = threads({ client: { apiKey: () => key } })
    expect((await draft(pool)).at(-1)?.type).toBe('end')
    key = undefined
    expect((await draft(pool)).at(-1)).toMatchObject({ type: 'error', error: { kind: 'auth' } })
    key = 'wrong-key'
    const refused = await draft(pool)
    expect(refused.at(-1)).toMatchObject({ type: 'error', error: { kind: 'auth', status: 400 } })
    expect(JSON.stringify(refused)).not.toContain('wrong-key')
    emulator.enqueue({ chunks: ['Half ', 'of it'], fault: { type: 'drop', afterChunks: 1 } })
    key = 'test-key'
    const dropped = await draft(pool)
    expect(textOf(dropped)).toBe('Half ')
    expect(dropped.at(-1)).toMatchObject({ type: 'error', error: { kind: 'network' } })
  })

  it('aborts the request to Gemini when the draft is stopped, and ends with cancelled', async () => {
    emulator.enqueue({ chunks: ['One ', 'two ', 'three'], fault: { type: 'stall', afterChunks: 1 } })
    const pool = threads()
    const controller = new AbortController()
    const events: ReplyEvent[] = []
    const done = pool.deliverReply(request({ signal: controller.signal }), (event) => {
      events.push(event)
      if (event.type === 'text') controller.abort()
    })
    await done
    expect(textOf(events)).toBe('One ')
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'cancelled' } })
    await expect.poll(() => emulator.openStreams).toBe(0)
  })

  it('ends the drafts of a thread that dies with an error, keeping the text they had, and drafts on a new thread after', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    emulator.enqueue({ chunks: ['Kept ', 'text'], fault: { type: 'stall', afterChunks: 1 } })
    const pool = threads({ threads: 1, entry: pathToFileURL(resolve(import.meta.dirname, 'fixtures/crashing-gemini-thread.ts')) })
    const events: ReplyEvent[] = []
    const stalled = pool.deliverReply(request(), (event) => events.push(event))
    await expect.poll(() => events.length).toBeGreaterThan(0)
    const crashed = await draft(pool, request({ model: 'gemini-crash-the-thread' }))
    await stalled
    expect(textOf(events)).toBe('Kept ')
    for (const ended of [events, crashed]) {
      expect(ended.at(-1)).toMatchObject({ type: 'error', error: { kind: 'network', retryable: true } })
      expect(ended.filter((e) => e.type === 'end' || e.type === 'error')).toHaveLength(1)
    }
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('a drafting thread stopped'))
    expect(textOf(await draft(pool))).toContain('Where is my parcel?')
    expect(pool.threadCount).toBe(1)
  })

  it('runs drafts on the main thread, saying so once, when no thread can start', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const pool = threads({ entry: pathToFileURL(resolve(import.meta.dirname, 'fixtures/no-such-thread.js')) })
    const runs = await Promise.all([draft(pool), draft(pool), draft(pool)])
    for (const events of runs) expect(events.at(-1)).toEqual({ type: 'end', finishReason: 'STOP' })
    expect(pool.onMainThread).toBe(true)
    expect(log.mock.calls.filter(([line]) => String(line).includes('could not start'))).toHaveLength(1)
    expect((await draft(pool)).at(-1)?.type).toBe('end')
  })

  it('ends a draft still running at close as cancelled, and refuses new ones the same way', async () => {
    emulator.enqueue({ chunks: ['Still '], fault: { type: 'stall', afterChunks: 1 } })
    const pool = threads()
    const events: ReplyEvent[] = []
    const running = pool.deliverReply(request(), (event) => events.push(event))
    await expect.poll(() => events.length).toBeGreaterThan(0)
    await pool.close()
    await running
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'cancelled' } })
    expect((await draft(pool)).at(-1)).toMatchObject({ type: 'error', error: { kind: 'cancelled' } })
  })

  it("runs the desktop bundle's built thread (out/main/gemini-thread.js) under plain Node", async () => {
    const built = resolve(import.meta.dirname, '../out/main/gemini-thread.js')
    expect(existsSync(built), 'the test setup builds the desktop app').toBe(true)
    const pool = threads({ entry: pathToFileURL(built) })
    expect(textOf(await draft(pool))).toContain('Where is my parcel?')
    expect(pool.onMainThread).toBe(false)
  })
})
