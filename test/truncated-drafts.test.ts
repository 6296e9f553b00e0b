// A reply Gemini did not finish (cut off at MAX_TOKENS, a stream that simply ends with no finishReason, or
// another finishReason) is saved and reported as `truncated`, never as `complete`. Real core, real SQLite
// file, the real SDK against the emulator; checked through the API, the SSE stream and the saved row.
import { describe, expect, it } from 'vitest'
import type { ConversationEvent, SupportConsoleApi } from '../src/shared/api'
import type { GenerationEvent } from '../src/shared/generation-events'
import type { ScriptedReply } from './emulator/gemini-emulator'
import { harnessPerTest } from './helpers/core-harness'
import { isDone, openSse } from './helpers/sse-client'

const start = harnessPerTest()
type EndEvent = Extract<GenerationEvent, { type: 'end' }>

/** Drafts a reply to a fresh conversation and resolves with its end event and the message as saved. */
async function draftWith(api: SupportConsoleApi, reply: ScriptedReply, enqueue: (r: ScriptedReply) => void) {
  const { id } = await api.createConversation({})
  await api.addCustomerMessage(id, 'Can I return a used kettle?')
  enqueue(reply)
  const ended = new Promise<EndEvent>((resolve) => {
    const unsubscribe = api.onConversationEvents(id, (e: ConversationEvent) => {
      if (e.event.type !== 'end') return
      unsubscribe()
      resolve(e.event)
    })
  })
  const { messageId } = await api.startDraft(id)
  const end = await ended
  const saved = (await api.getConversation(id)).messages.find((m) => m.id === messageId)
  return { end, saved }
}

describe('truncated drafts', () => {
  const chunks = ['Yes, you can ', 'return it within ', '30 days if']

  it.each([
    ['MAX_TOKENS', 'length', /cut this draft off at the length limit/],
    [null, 'ended-early', /stream ended early/],
    ['OTHER', 'other', /before finishing it \(OTHER\)/],
    ['FINISH_REASON_UNSPECIFIED', 'other', /FINISH_REASON_UNSPECIFIED/],
  ] as const)('finishReason %s: saved and reported as truncated (%s), with the text kept', async (finishReason, reason, sentence) => {
    const { core, emulator } = await start()
    const { end, saved } = await draftWith(core.api, { chunks, finishReason }, (r) => emulator.enqueue(r))
    expect(end).toMatchObject({ status: 'truncated', finishReason, error: null, truncation: { reason } })
    expect(end.truncation?.message).toMatch(sentence)
    expect(saved).toMatchObject({ status: 'truncated', finishReason, text: chunks.join(''), errorKind: null })
  })

  it('still saves a reply that ends with STOP as complete, and one stopped for SAFETY as blocked', async () => {
    const { core, emulator } = await start()
    const enqueue = (r: ScriptedReply): void => emulator.enqueue(r)
    const done = await draftWith(core.api, { chunks, finishReason: 'STOP' }, enqueue)
    expect(done.end).toMatchObject({ status: 'complete', finishReason: 'STOP', error: null })
    expect(done.end.truncation ?? null).toBeNull()
    expect(done.saved?.status).toBe('complete')
    const blocked = await draftWith(core.api, { chunks, fault: { type: 'finish-reason', afterChunks: 2, finishReason: 'SAFETY' } }, enqueue)
    expect(blocked.end).toMatchObject({ status: 'blocked', finishReason: 'SAFETY', error: { kind: 'blocked' } })
    expect(blocked.saved?.status).toBe('blocked')
  })

  it('tells an SSE client on /chat/stream that the reply was cut off, and the JSON API returns the saved status', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks, finishReason: 'MAX_TOKENS' })
    const events = await (await openSse(h.authed('/chat/stream?message=Can%20I%20return%20a%20used%20kettle%3F'))).readUntil(isDone)
    const meta = JSON.parse(events.find((e) => e.event === 'meta')?.data ?? '{}') as { conversationId: number }
    const end = JSON.parse(events.find((e) => e.event === 'end')?.data ?? '{}') as Record<string, unknown>
    expect(end).toMatchObject({ status: 'truncated', finishReason: 'MAX_TOKENS', truncation: { reason: 'length' } })
    expect(String((end.truncation as { message?: unknown }).message)).toMatch(/length limit/)

    const detail = (await (await fetch(h.authed(`/api/conversations/${meta.conversationId}`))).json()) as {
      messages: Array<{ id: number; status: string; finishReason: string | null }>
    }
    expect(detail.messages.find((m) => m.id === end.messageId)).toMatchObject({ status: 'truncated', finishReason: 'MAX_TOKENS' })
  })
})
