// The node:http transport under the SDK (src/main/core/gemini/http-transport.ts): the SDK's streaming requests
// must go through it (this fails if an SDK upgrade or a change in sdk-stream.ts stops using it), and nobody
// else's fetch may be touched by it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GeminiClient } from '../src/main/core/gemini/client'
import { installTransport, TRANSPORT_HEADER, transportRequestCount } from '../src/main/core/gemini/http-transport'
import type { ReplyEvent } from '../src/main/core/gemini/types'
import { GeminiEmulator } from './emulator/gemini-emulator'

let emulator: GeminiEmulator
beforeEach(async () => {
  emulator = await GeminiEmulator.start()
})
afterEach(async () => {
  await emulator.close()
})

function client(): GeminiClient {
  return new GeminiClient({
    apiKey: () => 'test-key',
    baseUrl: emulator.url,
    idleTimeoutMs: 5000,
    maxRetries: 0,
    retryBaseDelayMs: 10,
    maxRetryDelayMs: 100,
  })
}

async function draft(signal = new AbortController().signal): Promise<ReplyEvent[]> {
  const events: ReplyEvent[] = []
  const turns = [{ role: 'user' as const, text: 'Where is my order?' }]
  for await (const event of client().streamReply({ model: 'gemini-2.5-flash', systemInstruction: 'Be brief.', turns, signal })) events.push(event)
  return events
}

describe('the Gemini transport', () => {
  it('carries every streaming request of the SDK, and the marker never leaves the process', async () => {
    emulator.setDefaultReply(() => ({ chunks: ['Your ', 'parcel ', 'is on its way.'] }))
    const before = transportRequestCount()
    const runs = await Promise.all([draft(), draft(), draft()])
    expect(transportRequestCount() - before).toBe(3)
    for (const events of runs) {
      expect(
        events
          .filter((e) => e.type === 'text')
          .map((e) => (e as { text: string }).text)
          .join(''),
      ).toBe('Your parcel is on its way.')
      expect(events.at(-1)).toEqual({ type: 'end', finishReason: 'STOP' })
    }
    expect(emulator.requests).toHaveLength(3)
    for (const request of emulator.requests) {
      expect(request.headers[TRANSPORT_HEADER]).toBeUndefined()
      expect(request.headers['x-goog-api-key']).toBe('test-key')
      expect(request.headers['x-goog-api-client']).toMatch(/^genai-js\//)
    }
  })

  it('leaves fetch calls that are not ours to the fetch it wrapped', async () => {
    installTransport()
    const before = transportRequestCount()
    // Even a request to the same server with a forged marker goes the ordinary way: the token is the process's.
    const response = await fetch(`${emulator.url}/v1beta/models/gemini-2.5-flash:countTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test-key', [TRANSPORT_HEADER]: 'forged' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    })
    expect(response.ok).toBe(true)
    expect(transportRequestCount()).toBe(before)
    expect(emulator.requests.at(-1)?.headers[TRANSPORT_HEADER]).toBe('forged')
  })

  it('reports a refused connection as a network error and an abort as cancelled', async () => {
    emulator.setDefaultReply(() => ({ chunks: Array.from({ length: 50 }, (_, i) => `word${i} `), delayMs: 20 }))
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 150)
    const stopped = await draft(controller.signal)
    expect(stopped.some((e) => e.type === 'text')).toBe(true)
    expect(stopped.at(-1)).toMatchObject({ type: 'error', error: { kind: 'cancelled' } })

    const url = emulator.url
    await emulator.close()
    const refused = new GeminiClient({
      apiKey: () => 'test-key',
      baseUrl: url,
      idleTimeoutMs: 5000,
      maxRetries: 0,
      retryBaseDelayMs: 10,
      maxRetryDelayMs: 100,
    })
    const events: ReplyEvent[] = []
    for await (const e of refused.streamReply({
      model: 'gemini-2.5-flash',
      systemInstruction: '',
      turns: [{ role: 'user', text: 'hi' }],
      signal: new AbortController().signal,
    }))
      events.push(e)
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { kind: 'network' } })
    emulator = await GeminiEmulator.start()
  })
})
