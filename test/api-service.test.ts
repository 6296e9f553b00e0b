// The renderer-facing API as the core serves it (core.api, the service behind IPC and REST): a real SQLite
// file, the real Gemini client against the emulator, real settings files. Each test checks what the agent
// sees (results, error codes) and what was saved.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest'
import { ApiError, type ApiErrorCode, type ConversationEvent, type SupportConsoleApi } from '../src/shared/api'
import type { ConversationDetail } from '../src/shared/domain'
import { MAX_MESSAGE_CHARS } from '../src/shared/limits'
import type { ApiKeyVault } from '../src/main/core/config/api-key-vault'
import { API_KEY_FILE } from '../src/main/core/config/api-key-vault'
import { DEFAULT_MODEL, DEFAULT_SYSTEM_INSTRUCTION } from '../src/main/core/config/settings'
import { fileStem, transcriptMarkdown } from '../src/main/core/api/export-transcript'
import { harnessPerTest, TEST_API_KEY, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { isDone, openSse } from './helpers/sse-client'
import { GeminiEmulator } from './emulator/gemini-emulator'
import { waitFor } from './helpers/wait-for'

const start = harnessPerTest()
afterEach(() => {
  vi.restoreAllMocks()
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** The code and message an API call rejected with; fails the test if it resolved or threw something else. */
async function refusal(call: Promise<unknown> | (() => unknown)): Promise<{ code: ApiErrorCode; message: string }> {
  try {
    await (typeof call === 'function' ? call() : call)
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    const { code, message } = error as ApiError
    return { code, message }
  }
  throw new Error('expected the call to be refused')
}

/** Follows a conversation through the API and resolves with its events up to the next draft's end. */
function eventsUntilEnd(api: SupportConsoleApi, conversationId: number): { done: Promise<ConversationEvent[]>; events: ConversationEvent[] } {
  const events: ConversationEvent[] = []
  let unsubscribe = (): void => {}
  const done = new Promise<ConversationEvent[]>((resolve) => {
    unsubscribe = api.onConversationEvents(conversationId, (e) => {
      events.push(e)
      if (e.event.type === 'end') {
        unsubscribe()
        resolve(events)
      }
    })
  })
  return { done, events }
}

const text = (events: ConversationEvent[]): string => events.map((e) => (e.event.type === 'delta' ? e.event.text : '')).join('')

async function conversationWithCustomer(api: SupportConsoleApi, message = 'Where is my parcel?'): Promise<number> {
  const { id } = await api.createConversation({})
  await api.addCustomerMessage(id, message)
  return id
}

describe('conversations', () => {
  it('creates, lists, gets, renames and deletes, with the agent app as the source', async () => {
    const { core } = await start()
    const api = core.api
    const first = await api.createConversation({})
    expect(first).toMatchObject({ title: 'New conversation', source: 'app', messageCount: 0 })
    const second = await api.createConversation({ title: '  Refund for order 1234  ' })
    expect(second.title).toBe('Refund for order 1234')

    const page = await api.listConversations({})
    expect(page.conversations.map((c) => c.id)).toEqual([second.id, first.id])
    expect(page.nextCursor).toBeNull()
    const paged = await api.listConversations({ limit: 1 })
    expect(paged.conversations.map((c) => c.id)).toEqual([second.id])
    expect((await api.listConversations({ limit: 1, cursor: paged.nextCursor as string })).conversations.map((c) => c.id)).toEqual([first.id])

    expect(await api.renameConversation(first.id, 'Parcel lost')).toMatchObject({ id: first.id, title: 'Parcel lost' })
    expect((await api.getConversation(first.id)).conversation.title).toBe('Parcel lost')

    await api.deleteConversation(first.id)
    expect(await refusal(api.getConversation(first.id))).toMatchObject({ code: 'not-found' })
    expect((await api.listConversations({})).conversations.map((c) => c.id)).toEqual([second.id])
  })

  it("names a new conversation after the customer's first message, and keeps a title the agent chose", async () => {
    const { core } = await start()
    const api = core.api
    const untitled = await api.createConversation({})
    await api.addCustomerMessage(untitled.id, '  Where is\nmy parcel?  ')
    await api.addCustomerMessage(untitled.id, 'Hello?')
    expect((await api.getConversation(untitled.id)).conversation.title).toBe('Where is my parcel?')
    const titled = await api.createConversation({ title: 'VIP: order 77' })
    await api.addCustomerMessage(titled.id, 'Where is my parcel?')
    expect((await api.getConversation(titled.id)).conversation.title).toBe('VIP: order 77')
  })

  it('records customer messages and the agent reply, and searches their text', async () => {
    const { core } = await start()
    const api = core.api
    const id = await conversationWithCustomer(api, 'My blender arrived broken')
    const reply = await api.useReply(id, 'Sorry about the **blender**; a replacement is on its way.')
    expect(reply).toMatchObject({ role: 'agent', source: 'app', status: 'complete', conversationId: id })
    const detail = await api.getConversation(id)
    expect(detail.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'My blender arrived broken'],
      ['agent', 'Sorry about the **blender**; a replacement is on its way.'],
    ])
    const found = await api.listConversations({ q: 'replacem' })
    expect(found.conversations.map((c) => c.hit?.messageId)).toEqual([reply.id])
  })

  it('refuses bad input with invalid-input and unknown conversations with not-found, changing nothing', async () => {
    const { core, emulator } = await start()
    const api = core.api
    const id = await conversationWithCustomer(api)
    const cases: Array<[() => Promise<unknown> | unknown, ApiErrorCode, RegExp]> = [
      [() => api.createConversation({ title: '   ' }), 'invalid-input', /title must not be empty/],
      [() => api.createConversation({ title: 'x'.repeat(201) }), 'invalid-input', /title is longer/],
      [() => api.createConversation({ title: 'x', extra: 1 } as { title: string }), 'invalid-input', /extra|unrecognized/i],
      [() => api.renameConversation(id, ''), 'invalid-input', /title/],
      [() => api.renameConversation(999, 'Fine'), 'not-found', /999 does not exist/],
      [() => api.getConversation(0), 'invalid-input', /conversation id.*positive/],
      [() => api.getConversation(1.5), 'invalid-input', /conversation id.*whole/],
      [() => api.getConversation(Number.NaN), 'invalid-input', /conversation id/],
      [() => api.getConversation(999), 'not-found', /999 does not exist/],
      [() => api.deleteConversation(999), 'not-found', /does not exist/],
      [() => api.addCustomerMessage(id, '  '), 'invalid-input', /must not be empty/],
      [() => api.addCustomerMessage(id, 'a'.repeat(MAX_MESSAGE_CHARS + 1)), 'invalid-input', /longer than/],
      [() => api.addCustomerMessage(999, 'hello'), 'not-found', /does not exist/],
      [() => api.useReply(id, ''), 'invalid-input', /text must not be empty/],
      [() => api.useReply(999, 'hello'), 'not-found', /does not exist/],
      [() => api.listConversations({ limit: 0 }), 'invalid-input', /limit/],
      [() => api.listConversations({ cursor: 'garbage' }), 'invalid-input', /cursor/],
      [() => api.startDraft(999), 'not-found', /does not exist/],
      [() => api.stopDraft(999), 'not-found', /does not exist/],
      [() => api.exportConversation(999, 'json'), 'not-found', /does not exist/],
      [() => api.exportConversation(id, 'pdf' as 'json'), 'invalid-input', /format/],
      [() => api.onConversationEvents(999, () => {}), 'not-found', /does not exist/],
      [() => api.onConversationEvents(-1, () => {}), 'invalid-input', /conversation id/],
    ]
    for (const [call, code, message] of cases) {
      const refused = await refusal(call)
      expect(refused.code, String(message)).toBe(code)
      expect(refused.message).toMatch(message)
    }
    expect((await api.getConversation(id)).messages).toHaveLength(1)
    expect((await api.listConversations({})).conversations).toHaveLength(1)
    expect(emulator.requests).toHaveLength(0)
  })
})

describe('drafts', () => {
  it('streams a draft to subscribers with its message id, and saves it complete', async () => {
    const { core, emulator } = await start()
    const api = core.api
    const id = await conversationWithCustomer(api)
    emulator.enqueue({ chunks: ['Let me ', 'check ', 'that.'], delayMs: 5 })
    const followed = eventsUntilEnd(api, id)
    const { messageId } = await api.startDraft(id)
    const events = await followed.done
    expect(events.every((e) => e.messageId === messageId)).toBe(true)
    expect(events.map((e) => e.event.seq)).toEqual(events.map((_, i) => i + 1))
    expect(events[0]?.event).toMatchObject({ type: 'meta', conversationId: id, messageId, model: DEFAULT_MODEL })
    expect(text(events)).toBe('Let me check that.')
    expect(events.at(-1)?.event).toMatchObject({ type: 'end', status: 'complete', finishReason: 'STOP', error: null })
    expect(events.some((e) => e.event.type === 'usage')).toBe(true)
    const draft = (await api.getConversation(id)).messages[1]
    expect(draft).toMatchObject({ id: messageId, role: 'assistant_draft', source: 'app', status: 'complete', text: 'Let me check that.' })
  })

  it('refuses a draft with nothing to reply to, and a second one while the first is live', async () => {
    const { core, emulator } = await start()
    const api = core.api
    const empty = await api.createConversation({})
    expect(await refusal(api.startDraft(empty.id))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/customer’s message first/),
    })
    const id = await conversationWithCustomer(api)
    emulator.enqueue({ chunks: ['Hold on'], fault: { type: 'stall', afterChunks: 1 } })
    await api.startDraft(id)
    expect(await refusal(api.startDraft(id))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already streaming/) })
    await api.stopDraft(id)
  })

  it('replays a running draft from its start to a late subscriber, follows later drafts, and stops delivering once unsubscribed', async () => {
    const { core, emulator } = await start()
    const api = core.api
    const id = await conversationWithCustomer(api)
    emulator.enqueue({ chunks: ['one ', 'two ', 'three'], delayMs: 20 }, { chunks: ['second draft'] })
    const early = eventsUntilEnd(api, id)
    const { messageId } = await api.startDraft(id)
    await waitFor(() => early.events.some((e) => e.event.type === 'delta'), 'the first text')
    const late = eventsUntilEnd(api, id)
    expect(late.events[0]?.event.type).toBe('meta')
    expect(text(await late.done)).toBe('one two three')
    expect((await early.done).map((e) => e.event)).toEqual((await late.done).map((e) => e.event))

    const all: ConversationEvent[] = []
    const unsubscribe = api.onConversationEvents(id, (e) => all.push(e))
    const second = await api.startDraft(id)
    await waitFor(() => all.some((e) => e.event.type === 'end'), 'the second draft to end')
    expect(all.every((e) => e.messageId === second.messageId)).toBe(true)
    expect(text(all)).toBe('second draft')
    unsubscribe()
    unsubscribe()

    emulator.enqueue({ chunks: ['third'], fault: { type: 'stall', afterChunks: 1 } })
    const before = all.length
    await api.startDraft(id)
    const live = core.hub.liveIn(id)
    expect(live?.listenerCount).toBe(0)
    await api.stopDraft(id)
    expect(all).toHaveLength(before)
    expect(messageId).not.toBe(second.messageId)
  })

  it('stopDraft aborts the request to Gemini, resolves once the draft is saved as stopped, and keeps the text', async () => {
    const { core, emulator } = await start()
    const api = core.api
    const id = await conversationWithCustomer(api)
    emulator.enqueue({ chunks: ['Partial ', 'reply'], fault: { type: 'stall', afterChunks: 2 } })
    const followed = eventsUntilEnd(api, id)
    const { messageId } = await api.startDraft(id)
    await waitFor(() => text(followed.events) === 'Partial reply' && emulator.openStreams === 1, 'the stalled stream')
    await api.stopDraft(id)
    // Resolved after the end: the saved row is final already, and the listener has had the end event.
    expect(core.store.getMessage(messageId)).toMatchObject({ status: 'stopped', text: 'Partial reply', errorKind: 'cancelled' })
    expect((await followed.done).at(-1)?.event).toMatchObject({ type: 'end', status: 'stopped', error: { kind: 'cancelled' } })
    await waitFor(() => emulator.openStreams === 0, 'the Gemini request to be aborted')
    expect(core.hub.liveIn(id)).toBeUndefined()
    // Stopping again, with nothing live, is fine: the draft may have just finished.
    await api.stopDraft(id)
  })

  it('keeps an app draft running with no listener, and when every follower (API, JSON and text SSE) has left', async () => {
    const { core, emulator, authed } = await start({ settings: { disconnectGraceMs: 0 } })
    const api = core.api
    const id = await conversationWithCustomer(api)
    emulator.enqueue({ chunks: ['Still ', 'here'], fault: { type: 'stall', afterChunks: 2 } })
    await api.startDraft(id)
    await waitFor(() => emulator.openStreams === 1, 'the Gemini stream')

    const unsubscribe = api.onConversationEvents(id, () => {})
    unsubscribe()
    for (const format of ['json', 'text']) {
      const follower = await openSse(authed(`/conversations/${id}/events?format=${format}`))
      await follower.next()
      follower.close()
    }
    await waitFor(() => core.server.openStreams === 0, 'the followers to be gone')
    // With a grace period of 0 an abandoned generation stops on the next timer tick; give it many.
    await sleep(200)
    expect(core.hub.liveIn(id)?.stopReason).toBeUndefined()
    expect(emulator.openStreams).toBe(1)

    // The same grace period does stop a /chat/stream draft whose only client left: the check above can fail.
    emulator.enqueue({ chunks: ['abandoned'], fault: { type: 'stall', afterChunks: 1 } })
    const requester = await openSse(authed('/chat/stream?message=hello'))
    await requester.readUntil((e) => e.data === 'abandoned')
    requester.close()
    await waitFor(() => emulator.openStreams === 1, 'the abandoned request to be aborted')

    await api.stopDraft(id)
    await waitFor(() => emulator.openStreams === 0, 'the app draft to be stopped')
    expect((await api.getConversation(id)).messages[1]).toMatchObject({ status: 'stopped', text: 'Still here' })
  })

  it('deleteConversation stops a live draft first, then deletes everything', async () => {
    const { core, emulator } = await start()
    const api = core.api
    const id = await conversationWithCustomer(api)
    emulator.enqueue({ chunks: ['Half'], fault: { type: 'stall', afterChunks: 1 } })
    const followed = eventsUntilEnd(api, id)
    const { messageId } = await api.startDraft(id)
    await waitFor(() => emulator.openStreams === 1 && text(followed.events) === 'Half', 'the stalled stream')
    const consoleError = vi.spyOn(console, 'error')
    await api.deleteConversation(id)
    expect((await followed.done).at(-1)?.event).toMatchObject({ type: 'end', status: 'stopped' })
    await waitFor(() => emulator.openStreams === 0, 'the Gemini request to be aborted')
    expect(core.hub.liveIn(id)).toBeUndefined()
    expect(core.store.getMessage(messageId)).toBeUndefined()
    expect(await refusal(api.getConversation(id))).toMatchObject({ code: 'not-found' })
    // The draft ended before its conversation went: nothing failed to save.
    expect(consoleError).not.toHaveBeenCalled()
  })
})

describe('export', () => {
  async function exported(h: Harness): Promise<{ id: number; detail: ConversationDetail }> {
    const api = h.core.api
    const { id } = await api.createConversation({ title: 'Ünïcode: refund / order #42?' })
    await api.addCustomerMessage(id, 'How do I run the fix?')
    h.emulator.enqueue({ chunks: ['Run this:\n\n```sh\nnpm run fix\n```\n', 'Then restart.'] })
    const followed = eventsUntilEnd(api, id)
    await api.startDraft(id)
    await followed.done
    await api.useReply(id, 'Run `npm run fix`, then restart.\n\n```js\nconsole.log("ok")\n```')
    return { id, detail: await api.getConversation(id) }
  }

  it('writes Markdown with the title, each message with its role and time, draft facts, and code blocks intact', async () => {
    const h = await start()
    const { id, detail } = await exported(h)
    const file = await h.core.api.exportConversation(id, 'markdown')
    expect(file.filename).toBe(`unicode-refund-order-42-${id}.md`)
    expect(file.mimeType).toMatch(/^text\/markdown/)
    const md = file.content
    expect(md.startsWith('# Ünïcode: refund / order #42?\n')).toBe(true)
    expect(md).toMatch(/^## Customer · \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/m)
    expect(md).toMatch(/^## AI draft · .* UTC$/m)
    expect(md).toMatch(/^## Agent · .* UTC$/m)
    const draft = detail.messages[1]
    expect(md).toContain(
      `_${DEFAULT_MODEL} · complete · ${draft?.usage.promptTokens} prompt + ${draft?.usage.outputTokens} output = ${draft?.usage.totalTokens} tokens`,
    )
    expect(md).toContain('```sh\nnpm run fix\n```\nThen restart.')
    expect(md).toContain('```js\nconsole.log("ok")\n```')
    // In order: customer, draft, agent.
    expect(md.indexOf('## Customer')).toBeLessThan(md.indexOf('## AI draft'))
    expect(md.indexOf('## AI draft')).toBeLessThan(md.indexOf('## Agent'))
  })

  it('writes JSON that is exactly the conversation detail', async () => {
    const h = await start()
    const { id, detail } = await exported(h)
    const file = await h.core.api.exportConversation(id, 'json')
    expect(file.filename).toBe(`unicode-refund-order-42-${id}.json`)
    expect(file.mimeType).toMatch(/^application\/json/)
    expect(JSON.parse(file.content)).toEqual(detail)
  })

  it('closes a code block a stopped draft left open, so later messages stay outside it', () => {
    const message = (role: 'assistant_draft' | 'agent', text: string, id: number) => ({
      id,
      conversationId: 1,
      role,
      text,
      status: role === 'agent' ? ('complete' as const) : ('stopped' as const),
      source: 'app',
      model: role === 'agent' ? null : 'gemini-x',
      usage: { promptTokens: null, outputTokens: null, totalTokens: null },
      firstTokenMs: null,
      durationMs: null,
      finishReason: null,
      errorKind: role === 'agent' ? null : ('cancelled' as const),
      errorMessage: role === 'agent' ? null : 'Stopped by the agent.',
      kind: 'reply' as const,
      instruction: null,
      feedback: null,
      sources: [],
      createdAt: '2025-01-02T03:04:05.678Z',
      updatedAt: '2025-01-02T03:04:05.678Z',
    })
    const md = transcriptMarkdown({
      conversation: { id: 1, title: 't', source: 'app', createdAt: '2025-01-02T03:04:05.678Z', updatedAt: '', messageCount: 2, summary: null },
      messages: [message('assistant_draft', 'Try:\n~~~~py\nprint(1)\n~~~\nstill code', 1), message('agent', 'Done.', 2)],
      customerLanguage: null,
    })
    expect(md).toContain('still code\n~~~~\n')
    expect(md).toMatch(/^> Stopped: Stopped by the agent\.$/m)
    expect(md).toMatch(/^## Agent · 2025-01-02 03:04:05 UTC$/m)
  })

  it('makes file names of safe characters only', () => {
    expect(fileStem('../../etc/passwd', 3)).toBe('etc-passwd-3')
    expect(fileStem('"; rm -rf / ; echo "', 4)).toBe('rm-rf-echo-4')
    expect(fileStem('Заказ 5', 5)).toBe('5-5')
    expect(fileStem('你好', 6)).toBe('conversation-6')
    expect(fileStem('a'.repeat(300), 7)).toBe(`${'a'.repeat(60)}-7`)
  })
})

describe('settings', () => {
  it('shows the settings, with the endpoint, and the key only as present/absent', async () => {
    const { core } = await start()
    const view = await core.api.getSettings()
    expect(view).toEqual({
      model: DEFAULT_MODEL,
      systemInstruction: DEFAULT_SYSTEM_INSTRUCTION,
      allowedOrigins: [],
      apiKey: { present: true, storage: 'environment' },
      // The harness sets SUPPORT_CONSOLE_PORT=0: any free port, not changeable from Settings.
      endpoint: { url: core.server.url, token: TEST_TOKEN, status: 'listening', problem: null, port: 0, portFixedBy: 'environment' },
      dataDir: core.settings.dataDir,
      knowledgeBase: { dir: null, setByEnvironment: false, passages: 5, tokenBudget: 2000 },
    })
    expect(JSON.stringify(view)).not.toContain(TEST_API_KEY)
  })

  it('saves model, persona and origins to settings.json (keeping the rest of the file), applies them at once and after a restart', async () => {
    const h = await start({
      env: { SUPPORT_CONSOLE_TOKEN: '' },
      settings: { token: TEST_TOKEN, maxConcurrentStreams: 77, allowedOrigins: ['https://old.example.com'] },
    })
    const api = h.core.api
    const view = await api.updateSettings({
      model: 'gemini-2.5-pro',
      systemInstruction: 'You are Ada, a cheerful support agent.',
      allowedOrigins: ['https://Helpdesk.Example.com:443', 'https://helpdesk.example.com', 'http://localhost:3000'],
    })
    expect(view).toMatchObject({
      model: 'gemini-2.5-pro',
      systemInstruction: 'You are Ada, a cheerful support agent.',
      allowedOrigins: ['https://helpdesk.example.com', 'http://localhost:3000'],
    })
    const file = JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8'))
    expect(file).toEqual({
      token: TEST_TOKEN,
      maxConcurrentStreams: 77,
      model: 'gemini-2.5-pro',
      systemInstruction: 'You are Ada, a cheerful support agent.',
      allowedOrigins: ['https://helpdesk.example.com', 'http://localhost:3000'],
    })

    // At once: the next draft uses the new model and persona, and the server the new origins.
    const id = await conversationWithCustomer(api)
    const followed = eventsUntilEnd(api, id)
    await api.startDraft(id)
    expect((await followed.done)[0]?.event).toMatchObject({ type: 'meta', model: 'gemini-2.5-pro' })
    const request = h.emulator.requests.at(-1)
    expect(request?.path).toContain('/models/gemini-2.5-pro:streamGenerateContent')
    expect(JSON.stringify(request?.body)).toContain('You are Ada, a cheerful support agent.')
    // A page on an allowed origin holds an integration key, not the console's token.
    const { secret } = await api.createIntegrationKey({ name: 'Helpdesk', scopes: ['read'] })
    const fromHelpdesk = await fetch(`${h.url}/api/conversations`, {
      headers: { Authorization: `Bearer ${secret}`, Origin: 'https://helpdesk.example.com' },
    })
    expect(fromHelpdesk.headers.get('access-control-allow-origin')).toBe('https://helpdesk.example.com')
    expect((await fetch(`${h.url}/api/settings`, { headers: { ...h.headers, Origin: 'https://old.example.com' } })).status).toBe(403)

    const restarted = await h.restart()
    expect(await restarted.api.getSettings()).toMatchObject({
      model: 'gemini-2.5-pro',
      allowedOrigins: ['https://helpdesk.example.com', 'http://localhost:3000'],
    })
    expect(restarted.settings.maxConcurrentStreams).toBe(77)
  })

  it('keeps an API key entered in Settings out of the view, settings.json, the database and the logs, and uses it', async () => {
    const logged: string[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
    }
    // An emulator that accepts only the key the agent will enter.
    const secret = 'AIzaSy-entered-in-settings-0123'
    const emulator = await GeminiEmulator.start({ apiKey: secret })
    const h = await start({ env: { GEMINI_API_KEY: '' }, emulator })
    onTestFinished(() => emulator.close())
    const api = h.core.api
    expect((await api.getSettings()).apiKey).toEqual({ present: false, storage: 'none' })
    const id = await conversationWithCustomer(api)
    let followed = eventsUntilEnd(api, id)
    await api.startDraft(id)
    expect((await followed.done).at(-1)?.event).toMatchObject({ status: 'error', error: { kind: 'auth' } })
    expect(emulator.requests).toHaveLength(0)

    const view = await api.updateSettings({ apiKey: secret })
    expect(view.apiKey).toEqual({ present: true, storage: 'plaintext' })
    expect(JSON.stringify(view)).not.toContain(secret)
    followed = eventsUntilEnd(api, id)
    await api.startDraft(id)
    expect((await followed.done).at(-1)?.event).toMatchObject({ status: 'complete' })
    expect(emulator.requests.at(-1)?.headers['x-goog-api-key']).toBe(secret)

    // Saved only in the vault file (0600), nowhere else in the data folder.
    expect(readFileSync(join(h.dataDir, API_KEY_FILE), 'utf8')).toBe(secret)
    h.core.store.flush()
    for (const name of readdirSync(h.dataDir).filter((n) => n !== API_KEY_FILE)) {
      expect(readFileSync(join(h.dataDir, name)).includes(Buffer.from(secret)), name).toBe(false)
    }
    expect(logged.some((line) => line.includes(secret))).toBe(false)

    expect((await api.updateSettings({ apiKey: null })).apiKey).toEqual({ present: false, storage: 'none' })
    expect(existsSync(join(h.dataDir, API_KEY_FILE))).toBe(false)
  })

  it('uses the vault it is given and reports how it stores the key', async () => {
    let stored: string | undefined
    const vault: ApiKeyVault = { storage: 'os-encrypted', read: () => stored, write: (key) => void (stored = key ?? undefined) }
    const { core } = await start({ env: { GEMINI_API_KEY: '' }, apiKeyVault: vault })
    expect((await core.api.updateSettings({ apiKey: 'AIza-some-key-0123' })).apiKey).toEqual({ present: true, storage: 'os-encrypted' })
    expect(stored).toBe('AIza-some-key-0123')
    expect(core.settingsService.apiKey()).toBe('AIza-some-key-0123')
  })

  it('lets environment variables win: GEMINI_MODEL and GEMINI_API_KEY cannot be changed from Settings', async () => {
    const h = await start({ env: { GEMINI_MODEL: 'gemini-env-model' } })
    const api = h.core.api
    const refusedModel = await refusal(api.updateSettings({ model: 'gemini-other', systemInstruction: 'changed' }))
    expect(refusedModel).toMatchObject({ code: 'conflict', message: expect.stringMatching(/GEMINI_MODEL environment variable/) })
    const refusedKey = await refusal(api.updateSettings({ apiKey: 'another-key-0123' }))
    expect(refusedKey).toMatchObject({ code: 'conflict', message: expect.stringMatching(/GEMINI_API_KEY environment variable/) })
    expect(await refusal(api.updateSettings({ apiKey: null }))).toMatchObject({ code: 'conflict' })
    // Nothing of a refused update was applied or saved.
    expect(await api.getSettings()).toMatchObject({ model: 'gemini-env-model', systemInstruction: DEFAULT_SYSTEM_INSTRUCTION })
    expect(existsSync(join(h.dataDir, 'settings.json'))).toBe(false)
    expect(existsSync(join(h.dataDir, API_KEY_FILE))).toBe(false)
    // Sending the model unchanged (a whole form) is fine.
    expect(await api.updateSettings({ model: 'gemini-env-model', systemInstruction: 'changed' })).toMatchObject({
      model: 'gemini-env-model',
      systemInstruction: 'changed',
    })
    expect(JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8'))).toEqual({ systemInstruction: 'changed' })
  })

  it('refuses invalid updates, and leaves a settings.json edited into a bad state untouched', async () => {
    const h = await start()
    const api = h.core.api
    const cases: Array<[unknown, RegExp]> = [
      [{ model: 'gemini/../../x' }, /model is not a valid model name/],
      [{ allowedOrigins: ['https://helpdesk.example.com/path'] }, /allowed origin/],
      [{ allowedOrigins: ['*'] }, /allowed origin/],
      [{ apiKey: 'short' }, /does not look like an API key/],
      [{ systemInstruction: 'x'.repeat(20_001) }, /persona is longer/],
      [{ token: 'steal-the-token-please' }, /token|unrecognized/i],
      [null, /object|expected/i],
    ]
    for (const [update, message] of cases) {
      expect(await refusal(api.updateSettings(update as never)), String(message)).toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(message),
      })
    }
    const file = join(h.dataDir, 'settings.json')
    writeFileSync(file, '{ "port": "not a port" }')
    expect(await refusal(api.updateSettings({ systemInstruction: 'x' }))).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/settings\.json.*port/),
    })
    expect(readFileSync(file, 'utf8')).toBe('{ "port": "not a port" }')
    expect((await api.getSettings()).systemInstruction).toBe(DEFAULT_SYSTEM_INSTRUCTION)
  })
})

describe('a text /chat/stream client', () => {
  it('still ends with [DONE] and is unaffected by the API (sanity check of the shared hub)', async () => {
    const { core, emulator, authed } = await start()
    emulator.enqueue({ chunks: ['hi'] })
    const events = await (await openSse(authed('/chat/stream?message=hello'))).readUntil(isDone)
    const conversationId = JSON.parse(events[0]?.data ?? '{}').conversationId as number
    expect((await core.api.getConversation(conversationId)).messages.map((m) => m.role)).toEqual(['customer', 'assistant_draft'])
  })
})
