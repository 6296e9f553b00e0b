// Defect 7: while close() waits for running drafts to be saved, nothing may start a new draft that the closing
// server and database would then cut. A model that holds a stopped draft open until the test lets it go makes
// the window between "drafts stopped" and "server closed" as long as the test needs.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../src/shared/api'
import type { ReplyEvent, ReplyModel, ReplyRequest } from '../src/main/core/gemini/types'
import { loadSettings } from '../src/main/core/config/settings'
import { startCore, type SupportConsoleCore } from '../src/main/core/support-console'
import { TEST_TOKEN } from './helpers/core-harness'
import { waitFor } from './helpers/wait-for'

/** Streams one word, then waits to be stopped; a stopped draft ends only once `release()` is called. */
class HeldModel implements ReplyModel {
  calls = 0
  aborted = 0
  private releaseAll: () => void = () => undefined
  private readonly released = new Promise<void>((resolve) => (this.releaseAll = resolve))

  release(): void {
    this.releaseAll()
  }

  async *streamReply(request: ReplyRequest): AsyncIterable<ReplyEvent> {
    this.calls++
    yield { type: 'text', text: 'Hello' }
    await Promise.race([this.released, new Promise((resolve) => request.signal.addEventListener('abort', resolve, { once: true }))])
    if (request.signal.aborted) this.aborted++
    await this.released
    yield { type: 'end', finishReason: 'STOP' }
  }
}

let core: SupportConsoleCore | undefined
let model: HeldModel | undefined
afterEach(async () => {
  model?.release()
  await core?.close()
  core = model = undefined
})

async function startHeld(): Promise<{ core: SupportConsoleCore; model: HeldModel }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-closing-'))
  model = new HeldModel()
  const settings = loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir, SUPPORT_CONSOLE_PORT: '0', SUPPORT_CONSOLE_TOKEN: TEST_TOKEN })
  core = await startCore({ settings, model })
  return { core, model }
}

describe('closing the core', () => {
  it('refuses new drafts, over the API and HTTP, once close() has begun, and creates no draft', async () => {
    const { core, model } = await startHeld()
    const { api, store } = core
    const running = await api.createConversation({})
    await api.addCustomerMessage(running.id, 'Where is my order?')
    const waiting = await api.createConversation({})
    await api.addCustomerMessage(waiting.id, 'Can I change my address?')
    await api.startDraft(running.id)
    await waitFor(() => model.calls === 1, 'the first draft to start')
    const url = core.server.url
    const conversationsBefore = store.listConversations({}).conversations.length

    const closing = core.close()
    await waitFor(() => model.aborted === 1, 'close() to stop the running draft')

    // close() is now waiting for the stopped draft to be saved; the server and database are still open.
    const refused = await api.startDraft(waiting.id).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({ code: 'unavailable', message: 'Support Console is closing.' })
    expect(() => (api as unknown as { startReply(input: unknown): unknown }).startReply({ message: 'Hi', conversationId: waiting.id })).toThrow(
      'Support Console is closing.',
    )

    const overHttp = await fetch(`${url}/chat/stream?message=${encodeURIComponent('Hello there')}&token=${TEST_TOKEN}`)
    expect(overHttp.status).toBe(503)
    expect(await overHttp.json()).toEqual({ error: { code: 'unavailable', message: 'Support Console is closing.' } })
    const posted = await fetch(`${url}/chat/stream`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'Hello again', conversationId: waiting.id }),
    })
    expect(posted.status).toBe(503)

    // Nothing was written by the refused requests: no new conversation, no message, no draft row.
    expect(model.calls).toBe(1)
    expect(store.listConversations({}).conversations).toHaveLength(conversationsBefore)
    expect(store.getMessages(waiting.id).map((m) => m.role)).toEqual(['customer'])

    model.release()
    await closing
  })
})
