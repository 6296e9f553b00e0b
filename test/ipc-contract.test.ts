// The IPC contract, end to end without Electron: the preload's API (createPreloadApi) talks through a
// stand-in for Electron's IPC transport (helpers/fake-ipc.ts: structured cloning, async delivery) to main's
// handlers (createIpcHandlers + registerIpcHandlers), which call the real core's API: a real SQLite file
// and the real Gemini client against the emulator. Every SupportConsoleApi method is called through the
// preload; bad payloads and untrusted senders are refused before the core sees them; live events arrive
// batched, in order and complete, also for a window that opens mid-stream.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, type ConversationEvent, type SupportConsoleApi } from '../src/shared/api'
import { EVENT_CHANNEL, INVOKE_CHANNELS, SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL, type EventBatch, type InvokeMethod } from '../src/shared/ipc'
import { MAX_MESSAGE_CHARS } from '../src/shared/limits'
import { APP_ENTRY_URL, APP_ORIGIN } from '../src/main/app-protocol'
import { createEventOutbox } from '../src/main/event-outbox'
import { createIpcHandlers, INTERNAL_ERROR_MESSAGE, registerIpcHandlers, UNTRUSTED_SENDER_MESSAGE, type IpcHandlers } from '../src/main/ipc-handlers'
import { createSenderCheck } from '../src/main/trusted-sender'
import { bridgeSafe, createPreloadApi, type IpcRendererLike } from '../src/preload/preload-api'
import { startHarness, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { FakeIpc, type FakeWindow } from './helpers/fake-ipc'
import { waitFor } from './helpers/wait-for'

const DEV_ORIGIN = 'http://localhost:5173'

interface Rig {
  harness: Harness
  ipc: FakeIpc
  handlers: IpcHandlers
  /**
   * Calls into the core behind the API's argument check (store, drafting, hub, settings), in order: proves a
   * refused payload never reached it. (The API's entry itself parses the payload: checkArguments.)
   */
  coreCalls: string[]
  appWindows: Set<number>
  /** A window of ours showing the console, with the preload's API. */
  open(url?: string): { window: FakeWindow; api: SupportConsoleApi }
}

let rig: Rig | undefined

async function startRig(): Promise<Rig> {
  const harness = await startHarness()
  const coreCalls: string[] = []
  const { store, drafting, hub, settingsService } = harness.core
  for (const [label, part] of Object.entries({ store, drafting, hub, settings: settingsService })) recordCalls(part, label, coreCalls)
  const appWindows = new Set<number>()
  const ipc = new FakeIpc()
  const handlers = createIpcHandlers(harness.core.api, {
    isTrustedSender: createSenderCheck({ origins: [APP_ORIGIN, DEV_ORIGIN], isAppContents: (id) => appWindows.has(id) }),
    logError: () => {},
  })
  registerIpcHandlers(ipc.ipcMain, handlers)
  return {
    harness,
    ipc,
    handlers,
    coreCalls,
    appWindows,
    open(url = APP_ENTRY_URL) {
      const window = ipc.openWindow({ url })
      appWindows.add(window.id)
      return { window, api: createPreloadApi(window.renderer) }
    },
  }
}

/** Records every method call on `target` (an instance: its own properties shadow its class's methods). */
function recordCalls(target: object, label: string, calls: string[]): void {
  for (
    let proto = Object.getPrototypeOf(target) as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name)
      if (name === 'constructor' || typeof descriptor?.value !== 'function' || Object.prototype.hasOwnProperty.call(target, name)) continue
      const method = descriptor.value as (...args: unknown[]) => unknown
      Object.defineProperty(target, name, {
        configurable: true,
        writable: true,
        value(this: unknown, ...args: unknown[]) {
          calls.push(`${label}.${name}`)
          return method.apply(this, args)
        },
      })
    }
  }
}

beforeEach(async () => {
  rig = await startRig()
})

afterEach(async () => {
  rig?.handlers.dispose()
  await rig?.harness.close()
  rig = undefined
})

const current = (): Rig => {
  if (!rig) throw new Error('no rig')
  return rig
}

async function rejection(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('expected the call to be refused')
}

/** Collects a conversation's events through the preload, and the text they spell. */
function follow(api: SupportConsoleApi, conversationId: number) {
  const events: ConversationEvent[] = []
  const unsubscribe = api.onConversationEvents(conversationId, (event) => events.push(event))
  const ended = (messageId: number) => events.some((e) => e.messageId === messageId && e.event.type === 'end')
  const text = (messageId: number) =>
    events
      .filter((e) => e.messageId === messageId)
      .map((e) => (e.event.type === 'delta' ? e.event.text : ''))
      .join('')
  return { events, unsubscribe, ended, text }
}

const batchesOf = (window: FakeWindow): EventBatch[] => window.received.filter((m) => m.channel === EVENT_CHANNEL).map((m) => m.payload as EventBatch)

describe('channels', () => {
  it('gives every API method a channel of its own, a handler in main and a method in the preload', async () => {
    const { ipc, open } = current()
    const { api } = open()
    const methods = Object.keys(INVOKE_CHANNELS) as InvokeMethod[]
    expect(new Set(Object.values(INVOKE_CHANNELS)).size).toBe(methods.length)
    expect(ipc.channels.sort()).toEqual([...Object.values(INVOKE_CHANNELS), SUBSCRIBE_CHANNEL, UNSUBSCRIBE_CHANNEL].sort())
    // The preload has exactly the API's methods: the invoke ones and the subscription, no generic invoke.
    expect(Object.keys(api).sort()).toEqual([...methods, 'onConversationEvents'].sort())
    expect(Object.keys(bridgeSafe(api)).sort()).toEqual(Object.keys(api).sort())
  })

  it('sends each method on its own channel', async () => {
    const { ipc, open } = current()
    const { api } = open()
    // Derived from the contract, so a new method is covered without an entry here. The preload passes arguments on
    // as they are and main checks them, so a call without any still shows the channel it takes (main then refuses
    // it, for the methods that need some).
    for (const method of Object.keys(INVOKE_CHANNELS) as InvokeMethod[]) {
      ipc.invoked.length = 0
      await (api[method] as () => Promise<unknown>)().catch(() => undefined)
      expect(ipc.invoked, method).toEqual([INVOKE_CHANNELS[method]])
    }
  })
})

describe('every API method through the preload', () => {
  it('runs a conversation: create, list, rename, messages, draft, reply, export, delete', async () => {
    const { open } = current()
    const { api } = open()

    const created = await api.createConversation({ title: 'Parcel late' })
    expect(created).toMatchObject({ title: 'Parcel late', messageCount: 0 })
    expect(await api.createConversation({})).toMatchObject({ title: 'New conversation' })

    const renamed = await api.renameConversation(created.id, 'Parcel very late')
    expect(renamed.title).toBe('Parcel very late')

    const customer = await api.addCustomerMessage(created.id, 'Where is my parcel?')
    expect(customer).toMatchObject({ role: 'customer', text: 'Where is my parcel?', status: 'complete' })

    const feed = follow(api, created.id)
    const { messageId } = await api.startDraft(created.id)
    await waitFor(() => feed.ended(messageId), 'the draft to end')
    const detail = await api.getConversation(created.id)
    const draft = detail.messages.find((m) => m.id === messageId)
    expect(draft).toMatchObject({ role: 'assistant_draft', status: 'complete' })
    expect(feed.text(messageId)).toBe(draft?.text)
    expect(feed.text(messageId)).toContain('Where is my parcel?')
    const kinds = feed.events.filter((e) => e.messageId === messageId).map((e) => e.event.type)
    expect(kinds[0]).toBe('meta')
    expect(kinds.at(-1)).toBe('end')
    expect(kinds).toContain('usage')

    const reply = await api.useReply(created.id, 'Your parcel ships today.')
    expect(reply).toMatchObject({ role: 'agent', text: 'Your parcel ships today.' })

    const page = await api.listConversations({ q: 'parcel', limit: 10 })
    expect(page.conversations.map((c) => c.id)).toContain(created.id)
    expect(page.conversations.find((c) => c.id === created.id)?.hit?.snippet).toMatch(/parcel/i)

    const markdown = await api.exportConversation(created.id, 'markdown')
    expect(markdown.mimeType).toMatch(/markdown/)
    expect(markdown.content).toContain('Your parcel ships today.')
    const json = await api.exportConversation(created.id, 'json')
    expect(JSON.parse(json.content)).toBeTruthy()

    feed.unsubscribe()
    await api.deleteConversation(created.id)
    expect((await rejection(api.getConversation(created.id))).code).toBe('not-found')
  })

  it('stops a draft: the request is aborted and the message saved as stopped, text kept', async () => {
    const { open, harness } = current()
    const { api } = open()
    harness.emulator.enqueue({ chunks: Array.from({ length: 200 }, (_, i) => `word${i} `), delayMs: 40 })
    const { id } = await api.createConversation({})
    await api.addCustomerMessage(id, 'Please write a long answer')
    const feed = follow(api, id)
    const { messageId } = await api.startDraft(id)
    await waitFor(() => feed.text(messageId).length > 0, 'the first text')
    await api.stopDraft(id)
    await waitFor(() => feed.ended(messageId), 'the end event')
    const end = feed.events.find((e) => e.event.type === 'end')?.event
    expect(end).toMatchObject({ status: 'stopped' })
    const saved = (await api.getConversation(id)).messages.find((m) => m.id === messageId)
    expect(saved?.status).toBe('stopped')
    expect(saved?.text).toBe(feed.text(messageId))
    expect(saved?.text.length).toBeGreaterThan(0)
    await waitFor(() => harness.emulator.openStreams === 0, 'the request to Gemini to close')
    // Stopping when nothing runs is fine: the draft may have ended while the agent reached for Stop.
    await api.stopDraft(id)
  })

  it('reads and changes settings; the key never comes back, refusals keep their code', async () => {
    const { open } = current()
    const { api } = open()
    const settings = await api.getSettings()
    expect(settings.endpoint.token).toBe(TEST_TOKEN)
    expect(settings.apiKey).toEqual({ present: true, storage: 'environment' })
    expect(JSON.stringify(settings)).not.toContain('test-key')

    const updated = await api.updateSettings({ systemInstruction: 'Be brief.', allowedOrigins: ['https://helpdesk.example.com'] })
    expect(updated).toMatchObject({ systemInstruction: 'Be brief.', allowedOrigins: ['https://helpdesk.example.com'] })
    // GEMINI_API_KEY is set in the harness, so saving a key from Settings is a conflict, not a crash.
    expect((await rejection(api.updateSettings({ apiKey: 'AIza-another-key-123' }))).code).toBe('conflict')
  })

  it('reports a conflict (draft already running) and an unknown conversation with their codes', async () => {
    const { open, harness } = current()
    const { api } = open()
    harness.emulator.enqueue({ chunks: ['slow ', 'reply'], delayMs: 300 })
    const { id } = await api.createConversation({})
    await api.addCustomerMessage(id, 'Hi')
    await api.startDraft(id)
    expect((await rejection(api.startDraft(id))).code).toBe('conflict')
    await api.stopDraft(id)
    expect((await rejection(api.renameConversation(999_999, 'x'))).code).toBe('not-found')
  })
})

describe('payload validation', () => {
  async function raw(channel: string, ...args: unknown[]): Promise<unknown> {
    const { window } = current().open()
    return window.renderer.invoke(channel, ...args)
  }

  it.each<[string, string, unknown[]]>([
    ['a string id', INVOKE_CHANNELS.getConversation, ['abc']],
    ['an object id', INVOKE_CHANNELS.getConversation, [{ id: 1 }]],
    ['a negative id', INVOKE_CHANNELS.getConversation, [-1]],
    ['a fractional id', INVOKE_CHANNELS.deleteConversation, [1.5]],
    ['no arguments', INVOKE_CHANNELS.renameConversation, []],
    ['an extra argument', INVOKE_CHANNELS.getConversation, [1, 2]],
    ['an extra argument to a method without any', INVOKE_CHANNELS.getSettings, [{}]],
    ['a number as title', INVOKE_CHANNELS.renameConversation, [1, 42]],
    ['a huge title', INVOKE_CHANNELS.renameConversation, [1, 't'.repeat(10_000)]],
    ['a huge customer message', INVOKE_CHANNELS.addCustomerMessage, [1, 'x'.repeat(MAX_MESSAGE_CHARS + 1)]],
    ['an empty customer message', INVOKE_CHANNELS.addCustomerMessage, [1, '   ']],
    ['a huge reply', INVOKE_CHANNELS.useReply, [1, 'x'.repeat(MAX_MESSAGE_CHARS * 2 + 1)]],
    ['an unknown field', INVOKE_CHANNELS.createConversation, [{ title: 'a', sql: 'DROP TABLE messages' }]],
    ['a huge search', INVOKE_CHANNELS.listConversations, [{ q: 'q'.repeat(501) }]],
    ['a page size out of range', INVOKE_CHANNELS.listConversations, [{ limit: 100_000 }]],
    ['an unknown export format', INVOKE_CHANNELS.exportConversation, [1, 'pdf']],
    ['a settings field that is not editable', INVOKE_CHANNELS.updateSettings, [{ dataDir: '/' }]],
    ['a malformed origin', INVOKE_CHANNELS.updateSettings, [{ allowedOrigins: ['javascript:alert(1)'] }]],
    ['a null where an object belongs', INVOKE_CHANNELS.updateSettings, [null]],
    ['a numeric string id (never coerced over IPC)', INVOKE_CHANNELS.startDraft, ['1']],
    ['a boolean id', INVOKE_CHANNELS.deleteConversation, [true]],
    ['a word as the conversation to follow', SUBSCRIBE_CHANNEL, ['one']],
    ['a numeric string as the conversation to follow', SUBSCRIBE_CHANNEL, ['1']],
    ['no conversation to follow', SUBSCRIBE_CHANNEL, []],
    ['a bad subscription id', UNSUBSCRIBE_CHANNEL, ['all']],
  ])('refuses %s with invalid-input, without calling the core', async (_what, channel, args) => {
    const reply = await raw(channel, ...args)
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect((reply as { error: { message: string } }).error.message.length).toBeGreaterThan(0)
    expect(current().coreCalls).toEqual([])
  })

  it('records what reaches the core, so the refusals above are measured', async () => {
    await current().open().api.getSettings()
    expect(current().coreCalls).toContain('settings.view')
  })

  it('rejects an unknown channel: there is no generic invoke', async () => {
    await expect(raw('sc:sql:exec', 'DELETE FROM messages')).rejects.toThrow(/No handler registered/)
    expect(current().coreCalls).toEqual([])
  })

  it('answers a failure inside the core with a code and a plain sentence, never a stack trace', async () => {
    const logged: unknown[] = []
    const failing: SupportConsoleApi = Object.assign(Object.create(current().harness.core.api) as SupportConsoleApi, {
      getSettings: () => Promise.reject(new Error('SQLITE_CORRUPT at /home/x/db')),
    })
    const broken = createIpcHandlers(failing, {
      isTrustedSender: () => true,
      logError: (_m, error) => logged.push(error),
    })
    const reply = await broken.handlers.get(INVOKE_CHANNELS.getSettings)?.({ sender: current().open().window.contents, senderFrame: null })
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } })
    expect(logged).toHaveLength(1)
  })
})

describe('trusted senders', () => {
  it.each<[string, (rig: Rig) => FakeWindow]>([
    ['another origin', (r) => r.open('https://evil.example/index.html').window],
    ['a plain http page on the loopback', (r) => r.open('http://127.0.0.1:7439/').window],
    ['a file:// page', (r) => r.open('file:///tmp/index.html').window],
    [
      'an iframe inside our page',
      (r) => {
        const window = r.ipc.openWindow({ url: APP_ENTRY_URL, mainFrame: false })
        r.appWindows.add(window.id)
        return window
      },
    ],
    ['a webContents that is not one of our windows', (r) => r.ipc.openWindow({ url: APP_ENTRY_URL })],
  ])('refuses %s before looking at the payload', async (_what, make) => {
    const r = current()
    const window = make(r)
    for (const channel of [INVOKE_CHANNELS.listConversations, INVOKE_CHANNELS.getSettings, SUBSCRIBE_CHANNEL]) {
      const args = channel === INVOKE_CHANNELS.listConversations ? [{}] : channel === SUBSCRIBE_CHANNEL ? [1] : []
      expect(await window.renderer.invoke(channel, ...args)).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: UNTRUSTED_SENDER_MESSAGE },
      })
    }
    expect(r.coreCalls).toEqual([])
    expect(r.handlers.subscriptionCount).toBe(0)
  })

  it('accepts the dev server page in development', async () => {
    const { api } = current().open(`${DEV_ORIGIN}/`)
    await expect(api.getSettings()).resolves.toMatchObject({ endpoint: { token: TEST_TOKEN } })
  })
})

describe('live events', () => {
  it('arrive in order and complete, deltas merged, for a window that opens mid-stream too', async () => {
    const r = current()
    const chunks = Array.from({ length: 40 }, (_, i) => `c${i} `)
    r.harness.emulator.enqueue({ chunks, delayMs: 25 })
    const first = r.open()
    const { id } = await first.api.createConversation({})
    await first.api.addCustomerMessage(id, 'Tell me everything')
    const early = follow(first.api, id)
    const { messageId } = await first.api.startDraft(id)
    await waitFor(() => early.events.filter((e) => e.event.type === 'delta').length >= 5, 'a few deltas')

    // A second window opens while the draft streams: it is replayed everything from the start.
    const late = r.open()
    const lateFeed = follow(late.api, id)
    await waitFor(() => early.ended(messageId) && lateFeed.ended(messageId), 'both windows to see the end')

    const saved = (await first.api.getConversation(id)).messages.find((m) => m.id === messageId)
    expect(saved?.text).toBe(chunks.join(''))
    for (const feed of [early, lateFeed]) {
      expect(feed.text(messageId)).toBe(saved?.text)
      const seqs = feed.events.map((e) => e.event.seq)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      expect(new Set(seqs).size).toBe(seqs.length)
      expect(feed.events[0]?.event.type).toBe('meta')
      expect(feed.events.at(-1)?.event.type).toBe('end')
    }
    // The late window's first batch is the replay: meta, then everything streamed so far as ONE delta.
    const [replay] = batchesOf(late.window)
    expect(replay?.events.map((e) => e.event.type).slice(0, 2)).toEqual(['meta', 'delta'])
    expect(replay?.events.filter((e) => e.event.type === 'delta')).toHaveLength(1)
    const replayed = replay?.events[1]?.event
    expect(replayed?.type === 'delta' && replayed.text.split(' ').length - 1).toBeGreaterThanOrEqual(5)
    // Fewer messages than chunks reached each window: the outbox merged them.
    expect(batchesOf(late.window).length).toBeLessThan(chunks.length)
  })

  it('follows the next draft of the conversation on the same subscription', async () => {
    const r = current()
    const { api } = r.open()
    const { id } = await api.createConversation({})
    await api.addCustomerMessage(id, 'One')
    const feed = follow(api, id)
    const first = await api.startDraft(id)
    await waitFor(() => feed.ended(first.messageId), 'the first draft')
    const second = await api.startDraft(id)
    await waitFor(() => feed.ended(second.messageId), 'the second draft')
    expect(feed.text(second.messageId).length).toBeGreaterThan(0)
    expect(new Set(feed.events.map((e) => e.messageId))).toEqual(new Set([first.messageId, second.messageId]))
  })

  it('ends subscriptions on unsubscribe, reload and window close; a closed window gets nothing more', async () => {
    const r = current()
    const one = r.open()
    const { id } = await one.api.createConversation({})
    await one.api.addCustomerMessage(id, 'Hi')
    const unsubscribed = follow(one.api, id)
    await waitFor(() => r.handlers.subscriptionCount === 1, 'the subscription')
    unsubscribed.unsubscribe()
    await waitFor(() => r.handlers.subscriptionCount === 0, 'the unsubscribe')

    follow(one.api, id)
    const two = r.open()
    follow(two.api, id)
    await waitFor(() => r.handlers.subscriptionCount === 2, 'two subscriptions')
    r.handlers.releaseSender(one.window.id) // the page reloaded
    expect(r.handlers.subscriptionCount).toBe(1)
    two.window.destroy()
    expect(r.handlers.subscriptionCount).toBe(0)

    const { messageId } = await one.api.startDraft(id)
    const watcher = follow(r.open().api, id)
    await waitFor(() => watcher.ended(messageId), 'the draft to end')
    expect(unsubscribed.events).toEqual([])
    expect(batchesOf(two.window)).toEqual([])
  })

  it('refuses to follow a conversation that does not exist', async () => {
    const { window } = current().open()
    expect(await window.renderer.invoke(SUBSCRIBE_CHANNEL, 424242)).toMatchObject({ ok: false, error: { code: 'not-found' } })
  })
})

describe('event outbox', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const delta = (messageId: number, seq: number, text: string): ConversationEvent => ({ messageId, event: { seq, type: 'delta', text } })

  it('sends at most one message per interval, merging consecutive deltas of one draft', () => {
    const sent: ConversationEvent[][] = []
    const outbox = createEventOutbox((events) => sent.push(events), 16)
    outbox.push({ messageId: 7, event: { seq: 1, type: 'meta', conversationId: 1, messageId: 7, model: 'm' } })
    for (let seq = 2; seq <= 101; seq++) outbox.push(delta(7, seq, `${seq} `))
    expect(sent).toEqual([])
    vi.advanceTimersByTime(15)
    expect(sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(sent).toHaveLength(1)
    const [batch] = sent
    expect(batch?.map((e) => e.event.type)).toEqual(['meta', 'delta'])
    expect(batch?.[1]).toEqual(delta(7, 101, Array.from({ length: 100 }, (_, i) => `${i + 2} `).join('')))
  })

  it('keeps other events between deltas in order, and deltas of different drafts apart', () => {
    const sent: ConversationEvent[][] = []
    const outbox = createEventOutbox((events) => sent.push(events), 16)
    const usage: ConversationEvent = { messageId: 7, event: { seq: 4, type: 'usage', usage: { promptTokens: 1, outputTokens: 2, totalTokens: 3 } } }
    outbox.push(delta(7, 2, 'a'))
    outbox.push(delta(7, 3, 'b'))
    outbox.push(usage)
    outbox.push(delta(8, 2, 'c'))
    outbox.push(delta(7, 5, 'd'))
    vi.advanceTimersByTime(16)
    expect(sent).toEqual([[delta(7, 3, 'ab'), usage, delta(8, 2, 'c'), delta(7, 5, 'd')]])
  })

  it('does not change the events it merges (other listeners share them), and sends nothing after close', () => {
    const sent: ConversationEvent[][] = []
    const outbox = createEventOutbox((events) => sent.push(events), 16)
    const first = delta(1, 1, 'x')
    outbox.push(first)
    outbox.push(delta(1, 2, 'y'))
    expect(first).toEqual(delta(1, 1, 'x'))
    outbox.close()
    outbox.push(delta(1, 3, 'z'))
    vi.advanceTimersByTime(100)
    expect(sent).toEqual([])
  })
})

describe('preload', () => {
  it('delivers a first batch that arrives before the subscription id', async () => {
    const listeners: ((event: unknown, ...args: unknown[]) => void)[] = []
    const meta: ConversationEvent = { messageId: 3, event: { seq: 1, type: 'meta', conversationId: 1, messageId: 3, model: 'm' } }
    const ipc: IpcRendererLike = {
      on: (_channel, listener) => listeners.push(listener),
      invoke: async (channel) => {
        if (channel !== SUBSCRIBE_CHANNEL) return { ok: true, value: undefined }
        const batch: EventBatch = { subscriptionId: 41, events: [meta] }
        for (const listener of listeners) listener({}, batch)
        return { ok: true, value: 41 }
      },
    }
    const received: ConversationEvent[] = []
    createPreloadApi(ipc).onConversationEvents(1, (e) => received.push(e))
    await waitFor(() => received.length === 1, 'the early batch')
    expect(received).toEqual([meta])
  })

  it('refuses a bad conversation id at once, and unwraps errors into ApiError', async () => {
    const ipc: IpcRendererLike = {
      on: () => undefined,
      invoke: async () => ({ ok: false, error: { code: 'not-found', message: 'Conversation 5 does not exist.' } }),
    }
    const api = createPreloadApi(ipc)
    expect(() => api.onConversationEvents(-1, () => {})).toThrow(ApiError)
    const error = await rejection(api.getConversation(5))
    expect(error).toMatchObject({ code: 'not-found', message: 'Conversation 5 does not exist.' })
    const garbled = createPreloadApi({ on: () => undefined, invoke: async () => 'surprise' })
    expect((await rejection(garbled.getSettings())).code).toBe('internal')
  })

  it('rejects across contextBridge with a plain object that keeps the code', async () => {
    const api = bridgeSafe(
      createPreloadApi({
        on: () => undefined,
        invoke: async () => ({ ok: false, error: { code: 'conflict', message: 'A draft is already running.' } }),
      }),
    )
    const reason: unknown = await api.startDraft(1).then(
      () => undefined,
      (error: unknown) => error,
    )
    // contextBridge copies plain objects whole (an Error would lose its code): structuredClone is that copy.
    expect(structuredClone(reason)).toEqual({ name: 'ApiError', code: 'conflict', message: 'A draft is already running.' })
  })
})
