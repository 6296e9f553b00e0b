// Web mode end to end: the REST routes and the JSON event stream over real HTTP, the built console served at
// `/` (content types, CSP, no way out of its folder), and the browser implementation of the renderer-facing
// API (createHttpApi) driven from Node's fetch and, for EventSource and the token fragment, from real Chromium.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, type ConversationEvent, type SettingsView } from '../src/shared/api'
import type { Conversation, ConversationDetail, Message } from '../src/shared/domain'
import { MAX_MESSAGE_CHARS } from '../src/shared/limits'
import { loadSettings } from '../src/main/core/config/settings'
import { WEB_CONSOLE_CSP } from '../src/main/core/server/static-files'
import { startCore } from '../src/main/core/support-console'
import { createHttpApi } from '../src/renderer/src/api/http-api'
import { launchChromium, type LaunchedChromium } from './helpers/chromium'
import { harnessPerTest, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { openSse, type ReceivedEvent } from './helpers/sse-client'
import { waitFor } from './helpers/wait-for'

const start = harnessPerTest()

interface ErrorBody {
  error: { code: string; message: string }
}
const read = async <T = ErrorBody>(response: Response): Promise<T> => (await response.json()) as T

function call(h: Harness, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${h.url}${path}`, {
    method,
    headers: { ...h.headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** A GET exactly as written: fetch would normalise `..` segments before sending. */
function rawGet(
  h: Harness,
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: h.core.server.port, path, method }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** JSON-format events of one draft: each data line parsed as a ConversationEvent. */
const parsed = (events: ReceivedEvent[]): ConversationEvent[] => events.map((e) => JSON.parse(e.data) as ConversationEvent)
const isEnd = (e: ReceivedEvent): boolean => (JSON.parse(e.data) as ConversationEvent).event.type === 'end'
const deltas = (events: ConversationEvent[]): string => events.map((e) => (e.event.type === 'delta' ? e.event.text : '')).join('')

async function newConversation(h: Harness, customerText = 'Where is my parcel?'): Promise<number> {
  const { id } = await read<Conversation>(await call(h, 'POST', '/api/conversations', {}))
  await call(h, 'POST', `/api/conversations/${id}/messages`, { role: 'customer', text: customerText })
  return id
}

// A built console stand-in: what `npm run build` puts in out/renderer, plus things that must never be served.
function webConsoleFixture(extra: Record<string, string> = {}): { dir: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'sc-web-'))
  const dir = join(root, 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  const outside = join(root, 'secret.txt')
  writeFileSync(outside, 'SECRET OUTSIDE THE WEB CONSOLE')
  writeFileSync(join(dir, '.env'), 'SECRET DOTFILE')
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>Support Console</title><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>',
  )
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")')
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body { color: black }')
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  symlinkSync(outside, join(dir, 'assets', 'link-out.txt'))
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content)
  return { dir, outside }
}

describe('REST routes', () => {
  it('need the token, like the rest of the API', async () => {
    const h = await start()
    const routes: Array<[string, string]> = [
      ['POST', '/api/conversations'],
      ['PATCH', '/api/conversations/1'],
      ['DELETE', '/api/conversations/1'],
      ['POST', '/api/conversations/1/messages'],
      ['POST', '/api/conversations/1/draft'],
      ['POST', '/api/conversations/1/draft/stop'],
      ['GET', '/api/conversations/1/export?format=json'],
      ['GET', '/api/settings'],
      ['PATCH', '/api/settings'],
      ['GET', '/conversations/1/events?format=json'],
    ]
    for (const [method, path] of routes) {
      const none = await fetch(`${h.url}${path}`, { method })
      expect(none.status, `${method} ${path}`).toBe(401)
      expect((await read(none)).error.code).toBe('unauthorized')
      const wrong = await fetch(`${h.url}${path}`, { method, headers: { Authorization: 'Bearer wrong-token-0123456789' } })
      expect(wrong.status).toBe(401)
    }
    expect(h.core.store.listConversations().conversations).toHaveLength(0)
  })

  it('create, add messages, draft, follow, rename, export and delete a conversation', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['We are ', 'on it.'] })
    const created = await call(h, 'POST', '/api/conversations', { title: 'Parcel' })
    expect(created.status).toBe(201)
    const conversation = await read<Conversation>(created)
    expect(conversation).toMatchObject({ title: 'Parcel', source: 'app' })
    // No body at all is a conversation with the default title (curl -X POST).
    const bare = await fetch(`${h.url}/api/conversations`, { method: 'POST', headers: h.headers })
    expect(bare.status).toBe(201)
    expect((await read<Conversation>(bare)).title).toBe('New conversation')

    const id = conversation.id
    const customer = await call(h, 'POST', `/api/conversations/${id}/messages`, { role: 'customer', text: 'Where is it?' })
    expect(customer.status).toBe(201)
    expect(await read<Message>(customer)).toMatchObject({ role: 'customer', text: 'Where is it?', source: 'app' })

    const follower = await openSse(h.authed(`/conversations/${id}/events?format=json`))
    const started = await call(h, 'POST', `/api/conversations/${id}/draft`)
    expect(started.status).toBe(202)
    const { messageId } = await read<{ messageId: number }>(started)
    const events = parsed(await follower.readUntil(isEnd))
    follower.close()
    expect(events.every((e) => e.messageId === messageId)).toBe(true)
    expect(deltas(events)).toBe('We are on it.')

    const reply = await call(h, 'POST', `/api/conversations/${id}/messages`, { role: 'agent', text: 'We are on it!' })
    expect(await read<Message>(reply)).toMatchObject({ role: 'agent', text: 'We are on it!' })
    const renamed = await call(h, 'PATCH', `/api/conversations/${id}`, { title: 'Parcel 42' })
    expect(await read<Conversation>(renamed)).toMatchObject({ id, title: 'Parcel 42' })
    const detail = await read<ConversationDetail>(await call(h, 'GET', `/api/conversations/${id}`))
    expect(detail.messages.map((m) => [m.role, m.status])).toEqual([
      ['customer', 'complete'],
      ['assistant_draft', 'complete'],
      ['agent', 'complete'],
    ])

    const markdown = await call(h, 'GET', `/api/conversations/${id}/export?format=markdown`)
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown; charset=utf-8/)
    expect(markdown.headers.get('content-disposition')).toBe(`attachment; filename="parcel-42-${id}.md"`)
    expect(await markdown.text()).toBe((await h.core.api.exportConversation(id, 'markdown')).content)
    const json = await call(h, 'GET', `/api/conversations/${id}/export?format=json`)
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="parcel-42-${id}.json"`)
    expect(await json.json()).toEqual(detail)

    const deleted = await call(h, 'DELETE', `/api/conversations/${id}`)
    expect(deleted.status).toBe(204)
    expect((await call(h, 'GET', `/api/conversations/${id}`)).status).toBe(404)
  })

  it('stops a draft: the request to Gemini is aborted and the draft saved as stopped before the 204', async () => {
    const h = await start()
    const id = await newConversation(h)
    h.emulator.enqueue({ chunks: ['Half'], fault: { type: 'stall', afterChunks: 1 } })
    const { messageId } = await read<{ messageId: number }>(await call(h, 'POST', `/api/conversations/${id}/draft`))
    await waitFor(() => h.emulator.openStreams === 1 && h.core.store.getMessage(messageId)?.text === 'Half', 'the stalled stream')
    const stopped = await call(h, 'POST', `/api/conversations/${id}/draft/stop`)
    expect(stopped.status).toBe(204)
    expect(h.core.store.getMessage(messageId)).toMatchObject({ status: 'stopped', text: 'Half' })
    await waitFor(() => h.emulator.openStreams === 0, 'the Gemini request to be aborted')
  })

  it('reads and changes settings, never showing the key', async () => {
    const h = await start({ env: { GEMINI_API_KEY: '' } })
    const view = await read<SettingsView>(await call(h, 'GET', '/api/settings'))
    expect(view).toMatchObject({ apiKey: { present: false, storage: 'none' }, endpoint: { url: h.url, token: TEST_TOKEN } })
    const changed = await call(h, 'PATCH', '/api/settings', { systemInstruction: 'Be brief.', apiKey: 'AIza-web-mode-key-123' })
    expect(changed.status).toBe(200)
    const text = await changed.text()
    expect(text).not.toContain('AIza-web-mode-key-123')
    expect(JSON.parse(text)).toMatchObject({ systemInstruction: 'Be brief.', apiKey: { present: true, storage: 'plaintext' } })
  })

  it('answers bad input with a JSON 4xx and a clear message', async () => {
    const h = await start({ env: { GEMINI_MODEL: 'gemini-env' }, settings: { allowedOrigins: ['https://helpdesk.example.com'] } })
    const id = await newConversation(h)
    h.emulator.enqueue({ chunks: ['a'], fault: { type: 'stall', afterChunks: 1 } })
    await call(h, 'POST', `/api/conversations/${id}/draft`)
    const c = `/api/conversations/${id}`
    const cases: Array<[() => Promise<Response>, number, string, RegExp]> = [
      [() => call(h, 'POST', '/api/conversations', { title: '' }), 400, 'invalid-input', /title must not be empty/],
      [() => call(h, 'POST', '/api/conversations', { name: 'x' }), 400, 'invalid-input', /name|unrecognized/i],
      [() => call(h, 'POST', '/api/conversations', '{"title": '), 400, 'malformed-json', /not valid JSON/],
      [
        () => call(h, 'POST', '/api/conversations', 'title=x', { 'Content-Type': 'application/x-www-form-urlencoded' }),
        415,
        'unsupported-media-type',
        /JSON/,
      ],
      [() => call(h, 'PATCH', c, {}), 400, 'invalid-input', /title is required/],
      [() => call(h, 'PATCH', '/api/conversations/abc', { title: 'x' }), 400, 'invalid-input', /conversation id must be a number/],
      [() => call(h, 'PATCH', '/api/conversations/999', { title: 'x' }), 404, 'not-found', /999 does not exist/],
      [() => call(h, 'POST', `${c}/messages`, { role: 'assistant_draft', text: 'x' }), 400, 'invalid-input', /role must be "customer" or "agent"/],
      [() => call(h, 'POST', `${c}/messages`, { role: 'customer', text: ' ' }), 400, 'invalid-input', /must not be empty/],
      [() => call(h, 'POST', `${c}/messages`, { role: 'customer', text: 'a'.repeat(MAX_MESSAGE_CHARS + 1) }), 400, 'invalid-input', /longer than/],
      [() => call(h, 'POST', `${c}/messages`, { role: 'agent', text: 'a'.repeat(MAX_MESSAGE_CHARS * 13) }), 413, 'payload-too-large', /larger than/],
      [() => call(h, 'POST', `${c}/draft`), 409, 'conflict', /already streaming/],
      [() => call(h, 'POST', '/api/conversations/999/draft'), 404, 'not-found', /does not exist/],
      [() => call(h, 'GET', `${c}/export?format=pdf`), 400, 'invalid-input', /format/],
      [() => call(h, 'GET', `/conversations/${id}/events?format=xml`), 400, 'invalid-input', /format must be "text" or "json"/],
      [() => call(h, 'PATCH', '/api/settings', { model: 'gemini-other' }), 409, 'conflict', /GEMINI_MODEL/],
      [() => call(h, 'PATCH', '/api/settings', { allowedOrigins: 'https://x.example' }), 400, 'invalid-input', /allowedOrigins/],
      [() => call(h, 'PUT', c, { title: 'x' }), 405, 'method-not-allowed', /Use GET, PATCH or DELETE/],
      [() => call(h, 'GET', `${c}/draft`), 405, 'method-not-allowed', /Use POST/],
    ]
    for (const [send, status, code, message] of cases) {
      const response = await send()
      expect(response.status, String(message)).toBe(status)
      expect(response.headers.get('content-type')).toMatch(/application\/json/)
      const { error } = await read(response)
      expect(error.code, String(message)).toBe(code)
      expect(error.message).toMatch(message)
    }
    expect((await call(h, 'PUT', c)).headers.get('allow')).toBe('GET, PATCH, DELETE')
    // Allowed browser origins may use every method of the API.
    const preflight = await fetch(`${h.url}${c}`, { method: 'OPTIONS', headers: { Origin: 'https://helpdesk.example.com' } })
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/PATCH.*DELETE|DELETE.*PATCH/)
    expect((await call(h, 'GET', '/health')).status).toBe(200)
  })
})

describe('GET /conversations/{id}/events?format=json', () => {
  const TRICKY = [
    'Line one\r\nline two\rthree\n',
    '[DONE]',
    '\n[DONE]\n',
    'data: x\n\nid: 9\n',
    '```js\nlet a = "\\u2028"\n```',
    ' line\u2028sep\u2029 😀 你好',
  ]

  it('sends each event as the API delivers it: id <messageId>-<seq>, one JSON ConversationEvent per data line, text exact', async () => {
    const h = await start()
    const id = await newConversation(h)
    h.emulator.enqueue({ chunks: TRICKY, delayMs: 2 })
    const fromApi: ConversationEvent[] = []
    const unsubscribe = h.core.api.onConversationEvents(id, (e) => fromApi.push(e))
    const follower = await openSse(h.authed(`/conversations/${id}/events?format=json`))
    const { messageId } = await read<{ messageId: number }>(await call(h, 'POST', `/api/conversations/${id}/draft`))
    const received = await follower.readUntil(isEnd)
    unsubscribe()
    follower.close()
    expect(received.every((e) => e.event === 'message')).toBe(true)
    expect(received.map((e) => e.id)).toEqual(parsed(received).map((e) => `${messageId}-${e.event.seq}`))
    expect(follower.raw.split('\n').filter((line) => line.startsWith('data: ')).length).toBe(received.length)
    expect(parsed(received)).toEqual(fromApi)
    // Unlike the text format, CR LF and a lone CR survive: the text is inside JSON.
    expect(deltas(parsed(received))).toBe(TRICKY.join(''))
    expect(h.core.store.getMessage(messageId)?.text).toBe(TRICKY.join(''))
  })

  it('resumes from Last-Event-ID, also when the draft ended while the client was away, with no event twice', async () => {
    const h = await start()
    const id = await newConversation(h)
    const chunks = Array.from({ length: 20 }, (_, i) => `w${i} `)
    h.emulator.enqueue({ chunks, delayMs: 10 })
    const first = await openSse(h.authed(`/conversations/${id}/events?format=json`))
    await call(h, 'POST', `/api/conversations/${id}/draft`)
    const before = await first.readUntil((e) => deltas(parsed([e])) === 'w3 ')
    first.close()
    await waitFor(() => h.core.hub.liveIn(id) === undefined, 'the draft to end while nobody follows')
    const again = await openSse(h.authed(`/conversations/${id}/events?format=json`), { headers: { 'Last-Event-ID': before.at(-1)?.id as string } })
    const after = await again.readUntil(isEnd)
    again.close()
    const all = parsed([...before, ...after])
    expect(deltas(all)).toBe(chunks.join(''))
    expect(all.map((e) => e.event.seq)).toEqual(all.map((_, i) => i + 1))
    expect(all.at(-1)?.event).toMatchObject({ type: 'end', status: 'complete' })
  })
})

describe('the web console files', () => {
  it('serves the page and its assets without a token, with a strict CSP and the right content types', async () => {
    const { dir } = webConsoleFixture()
    const h = await start({ webConsoleDir: dir })
    const page = await fetch(`${h.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toBe(WEB_CONSOLE_CSP)
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(WEB_CONSOLE_CSP).toContain(directive)
    }
    expect(WEB_CONSOLE_CSP).not.toContain('unsafe')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(await page.text()).toContain('<div id="root">')
    expect((await fetch(`${h.url}/index.html`)).status).toBe(200)

    const script = await fetch(`${h.url}/assets/index-abc123.js`)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('cache-control')).toMatch(/immutable/)
    expect(await script.text()).toBe('console.log("app")')
    expect((await fetch(`${h.url}/assets/index-abc123.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect((await fetch(`${h.url}/favicon.svg`)).headers.get('content-type')).toBe('image/svg+xml')
    const head = await rawGet(h, '/', 'HEAD')
    expect(head).toMatchObject({ status: 200, body: '' })

    // The data still needs the token.
    expect((await fetch(`${h.url}/api/conversations`)).status).toBe(401)
    expect((await fetch(`${h.url}/api/conversations`, { headers: h.headers })).status).toBe(200)
    expect((await fetch(`${h.url}/api/nowhere`)).status).toBe(401)
    // Other paths are the console's: a missing file is a 404 without asking for a token (e.g. /favicon.ico).
    expect((await fetch(`${h.url}/favicon.ico`)).status).toBe(404)
    expect((await fetch(`${h.url}/nowhere`)).status).toBe(404)
    expect((await fetch(`${h.url}/api/nowhere`, { headers: h.headers })).status).toBe(404)
  })

  it('never serves anything outside its folder, hidden files or symlinks out', async () => {
    const { dir } = webConsoleFixture()
    const h = await start({ webConsoleDir: dir })
    const attempts = [
      '/..%2f..%2fpackage.json',
      '/..%2fsecret.txt',
      '/assets/../../package.json',
      '/assets/../secret.txt',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/%2e%2e%5csecret.txt',
      '/assets/link-out.txt',
      '/.env',
      '/assets/.%2e/secret.txt',
      '/assets/%00index-abc123.js',
      '/assets//index-abc123.js',
      '/assets/missing.js',
      `/${encodeURIComponent(join(dir, '..', 'secret.txt'))}`,
      '/%E0%A4%A',
    ]
    for (const path of attempts) {
      const response = await rawGet(h, path)
      expect([400, 404], path).toContain(response.status)
      expect(response.body, path).not.toMatch(/SECRET|"name": "support-console"/)
    }
  })

  it('is not served without a built console: the server is then API-only', async () => {
    const h = await start()
    expect((await fetch(`${h.url}/`)).status).toBe(401)
    expect((await fetch(`${h.url}/`, { headers: h.headers })).status).toBe(404)
  })

  it('refuses to start with a console folder that has no index.html, saying what to do', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sc-web-empty-'))
    const dataDir = mkdtempSync(join(tmpdir(), 'sc-core-'))
    const settings = loadSettings({ SUPPORT_CONSOLE_DATA_DIR: dataDir, SUPPORT_CONSOLE_PORT: '0', SUPPORT_CONSOLE_TOKEN: TEST_TOKEN })
    await expect(startCore({ settings, webConsoleDir: empty })).rejects.toThrow(/index\.html is missing.*npm run build/)
    // The data folder was released: a correct start works.
    const core = await startCore({ settings })
    await core.close()
  })
})

describe('createHttpApi from Node (fetch)', () => {
  it('implements every request method over REST, with the same results as the core API', async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: ['Hello ', 'there'] }, { chunks: ['Stuck'], fault: { type: 'stall', afterChunks: 1 } })
    const api = createHttpApi({ baseUrl: h.url, token: TEST_TOKEN })
    const conversation = await api.createConversation({})
    expect(conversation).toMatchObject({ title: 'New conversation', source: 'app' })
    expect(await api.renameConversation(conversation.id, 'Greeting')).toMatchObject({ title: 'Greeting' })
    expect(await api.addCustomerMessage(conversation.id, 'Hi!')).toMatchObject({ role: 'customer', text: 'Hi!' })
    const { messageId } = await api.startDraft(conversation.id)
    await waitFor(() => h.core.hub.liveIn(conversation.id) === undefined, 'the draft to finish')
    expect(await api.useReply(conversation.id, 'Hello there!')).toMatchObject({ role: 'agent' })
    const detail = await api.getConversation(conversation.id)
    expect(detail).toEqual(await h.core.api.getConversation(conversation.id))
    expect(detail.messages[1]).toMatchObject({ id: messageId, text: 'Hello there', status: 'complete' })
    expect(await api.listConversations({ q: 'hello', limit: 5 })).toEqual(await h.core.api.listConversations({ q: 'hello', limit: 5 }))
    expect(await api.exportConversation(conversation.id, 'markdown')).toEqual(await h.core.api.exportConversation(conversation.id, 'markdown'))
    expect(await api.exportConversation(conversation.id, 'json')).toEqual(await h.core.api.exportConversation(conversation.id, 'json'))

    await api.startDraft(conversation.id)
    await waitFor(() => h.emulator.openStreams === 1, 'the stalled stream')
    await api.stopDraft(conversation.id)
    expect((await api.getConversation(conversation.id)).messages.at(-1)).toMatchObject({ status: 'stopped', text: 'Stuck' })

    expect(await api.getSettings()).toEqual(await h.core.api.getSettings())
    expect(await api.updateSettings({ systemInstruction: 'Short answers.' })).toMatchObject({ systemInstruction: 'Short answers.' })
    await api.deleteConversation(conversation.id)
    expect((await api.listConversations({})).conversations).toEqual([])
  })

  it('rejects with ApiErrors carrying the server’s code and message', async () => {
    const h = await start({ env: { GEMINI_API_KEY: 'env-key-0123456789' } })
    const api = createHttpApi({ baseUrl: h.url, token: TEST_TOKEN })
    const refusal = async (promise: Promise<unknown>): Promise<ApiError> => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(ApiError)
      return error as ApiError
    }
    expect(await refusal(api.getConversation(999))).toMatchObject({ code: 'not-found', message: 'Conversation 999 does not exist.' })
    expect(await refusal(api.createConversation({ title: '' }))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/title/) })
    expect(await refusal(api.updateSettings({ apiKey: 'another-key-0123' }))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/GEMINI_API_KEY/),
    })
    const { id } = await api.createConversation({})
    expect(await refusal(api.startDraft(id))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/customer/) })

    const badToken = createHttpApi({ baseUrl: h.url, token: 'not-the-token-at-all' })
    expect(await refusal(badToken.listConversations({}))).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/access link/) })
    expect(await refusal(createHttpApi({ baseUrl: h.url }).listConversations({}))).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/access link/),
    })
    const url = h.url
    await h.close()
    expect(await refusal(createHttpApi({ baseUrl: url, token: TEST_TOKEN }).listConversations({}))).toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/not reachable/),
    })
  })
})

describe('createHttpApi in Chromium, served as the web console', () => {
  let browser: LaunchedChromium
  let bundle: string
  beforeAll(async () => {
    // http-api.ts as the browser gets it: bundled by Vite, exposed as a global for the test page.
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: {
          entry: fileURLToPath(new URL('../src/renderer/src/api/http-api.ts', import.meta.url)),
          formats: ['iife'],
          name: 'SupportConsoleHttpApi',
          fileName: () => 'http-api.js',
        },
      },
    })
    const result = Array.isArray(output) ? output[0] : output
    const chunk = result && 'output' in result ? result.output.find((o) => o.type === 'chunk') : undefined
    if (!chunk || chunk.type !== 'chunk') throw new Error('Vite produced no bundle for http-api.ts')
    bundle = chunk.code
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  // Polled from here: page.waitForFunction evaluates its predicate with eval, which the console's CSP forbids.
  const pageWaitFor = (page: Page, expression: string): Promise<void> =>
    waitFor(async () => (await page.evaluate(expression)) === true, expression, 20_000)

  async function openConsole(h: Harness, fragment: string): Promise<Page> {
    const page = await browser.newPage()
    await page.goto(`${h.url}/${fragment}`)
    await pageWaitFor(page, 'typeof window.SupportConsoleHttpApi === "object"')
    return page
  }

  it('takes the token from the link fragment into session storage, strips it, and streams drafts through EventSource', async () => {
    const { dir } = webConsoleFixture({
      // An inline script must be blocked by the CSP; the console's own script is loaded from 'self'.
      'index.html':
        '<!doctype html><html><head><script>window.inlineRan = true</script><script src="/assets/http-api.js"></script></head><body></body></html>',
    })
    writeFileSync(join(dir, 'assets', 'http-api.js'), bundle)
    const h = await start({ webConsoleDir: dir })
    const chunks = ['Sure, ', 'here is ', 'the **plan**:\r\n', '1. one\n', '```\ncode\n```']
    h.emulator.enqueue({ chunks, delayMs: 20 })
    const page = await openConsole(h, `#token=${encodeURIComponent(TEST_TOKEN)}&view=main`)
    expect(await page.evaluate('window.inlineRan')).toBeUndefined()

    await page.evaluate(`(async () => {
      const api = window.SupportConsoleHttpApi.createHttpApi()
      window.received = []
      const { id } = await api.createConversation({ title: 'From the browser' })
      await api.addCustomerMessage(id, 'What is the plan?')
      window.unsubscribe = api.onConversationEvents(id, (e) => window.received.push(e))
      window.conversationId = id
      window.started = await api.startDraft(id)
    })()`)
    expect(await page.evaluate('location.hash')).toBe('#view=main')
    expect(await page.evaluate('sessionStorage.getItem("support-console.token")')).toBe(TEST_TOKEN)
    await pageWaitFor(page, 'window.received.some((e) => e.event.type === "end")')
    const received = (await page.evaluate('window.received')) as ConversationEvent[]
    const { messageId } = (await page.evaluate('window.started')) as { messageId: number }
    expect(received.map((e) => e.event.seq)).toEqual(received.map((_, i) => i + 1))
    expect(received.every((e) => e.messageId === messageId)).toBe(true)
    // Intermediate states arrived one by one, and CR LF is intact (JSON, not SSE text lines).
    expect(received.filter((e) => e.event.type === 'delta').length).toBe(chunks.length)
    expect(deltas(received)).toBe(chunks.join(''))
    await page.evaluate('window.unsubscribe()')
    await waitFor(() => h.core.server.openStreams === 0, 'the EventSource to close')

    // A reload keeps working with the token from session storage (the address bar no longer has it).
    await page.reload()
    await pageWaitFor(page, 'typeof window.SupportConsoleHttpApi === "object"')
    const titles = await page.evaluate(
      'window.SupportConsoleHttpApi.createHttpApi().listConversations({}).then((p) => p.conversations.map((c) => c.title))',
    )
    expect(titles).toEqual(['From the browser'])
    await page.close()
  })
})
