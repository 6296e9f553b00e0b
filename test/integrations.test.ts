// Real integration clients against the real server: a browser EventSource in Chromium on a page from
// another origin (as a helpdesk plugin would be), and curl. The core, SQLite file and HTTP are real; Gemini
// is the emulator, with scripted replies.
import { spawn, spawnSync } from 'node:child_process'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createConnection, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright'
import { describe, expect, it } from 'vitest'
import type { ConversationPage } from '../src/shared/domain'
import { chromiumPerFile } from './helpers/browser-per-file'
import { startHarness, TEST_TOKEN, type Harness, type HarnessOptions } from './helpers/core-harness'

// ---------------------------------------------------------------------------------------------------------
// Fixtures: a cross-origin page server, a TCP proxy that can cut a connection, curl, an SSE parser.

/** The page a helpdesk plugin would be: opens an EventSource on `?src=` and records everything it sees. */
const PLUGIN_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Helpdesk plugin</title>
<script>
  const params = new URLSearchParams(location.search)
  const closeOnDone = params.get('closeOnDone') !== 'no'
  // log: every message and named event in arrival order, with the connection (1, 2, ...) it came on;
  // errors: readyState at each connection error.
  const state = { text: '', log: [], opens: 0, errors: [], doneCount: 0, closedByPage: false }
  const source = new EventSource(params.get('src'))
  source.onopen = () => { state.opens++ }
  source.onmessage = (event) => {
    state.log.push({ type: 'message', data: event.data, lastEventId: event.lastEventId, conn: state.opens })
    if (event.data === '[DONE]') {
      state.doneCount++
      if (closeOnDone) { source.close(); state.closedByPage = true }
      return
    }
    if (state.doneCount === 0) state.text += event.data
  }
  for (const name of ['meta', 'usage', 'end', 'error']) {
    source.addEventListener(name, (event) => {
      // The server's "event: error" is a MessageEvent; a connection failure is a plain Event.
      if (event instanceof MessageEvent) state.log.push({ type: name, data: event.data, lastEventId: event.lastEventId, conn: state.opens })
      else if (name === 'error') state.errors.push(source.readyState)
    })
  }
  window.snapshot = () => JSON.parse(JSON.stringify({ ...state, readyState: source.readyState }))
</script>
<p>Helpdesk plugin test page</p>
`

interface Logged {
  type: 'message' | 'meta' | 'usage' | 'end' | 'error'
  data: string
  lastEventId: string
  /** Which connection of the EventSource it arrived on: 1 for the first, 2 after a reconnect. */
  conn: number
}

interface PageState {
  text: string
  log: Logged[]
  opens: number
  errors: number[]
  doneCount: number
  closedByPage: boolean
  /** EventSource.readyState: 0 connecting, 1 open, 2 closed. */
  readyState: number
}

const EVENTSOURCE_CLOSED = 2

interface PageServer {
  origin: string
  close(): Promise<void>
}

/** Serves the plugin page from its own 127.0.0.1 port: an origin other than the core's. */
async function servePluginPage(): Promise<PageServer> {
  const server: HttpServer = createHttpServer((request, response) => {
    if (request.url?.startsWith('/?') || request.url === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(PLUGIN_PAGE)
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

interface ProxiedRequest {
  method: string
  path: string
  headers: Record<string, string>
}

/**
 * A byte-for-byte TCP proxy in front of the core, so a test can cut a live connection at an exact byte, as a
 * dropped network or a restarting load balancer would.
 */
class CuttingProxy {
  /** Per connection: bytes the browser sent, bytes the server sent. */
  readonly connections: Array<{ sent: Buffer[]; received: Buffer[] }> = []
  cuts = 0
  private armed: { find: (received: Buffer, alreadyForwarded: number) => number | undefined; hold: boolean } | undefined
  private held: { client: Socket; upstream: Socket } | undefined
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly server: TcpServer,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<CuttingProxy> {
    const server = createTcpServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const proxy = new CuttingProxy(server, (server.address() as AddressInfo).port)
    server.on('connection', (client) => proxy.relay(client, targetPort))
    return proxy
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /**
   * Arms a one-time cut: on each chunk from the server, `find` gets everything this connection received so far
   * and may return the byte offset to cut at. Bytes before it reach the browser, nothing after it does.
   * With `hold`, the connection then stays open (silent) until `sever()`, so the test can first let the browser
   * take in what it got: Chromium may drop bytes that arrive together with the end of the connection.
   */
  cutWhen(find: (received: Buffer, alreadyForwarded: number) => number | undefined, options: { hold?: boolean } = {}): void {
    this.armed = { find, hold: options.hold ?? false }
  }

  /** Ends the connection a cut is holding: the browser sees it close mid-response, the server sees it go. */
  sever(): void {
    const held = this.held
    this.held = undefined
    if (!held) throw new Error('no connection has been cut yet')
    held.client.end()
    held.upstream.destroy()
  }

  /** Every HTTP request head the browser sent, in order. */
  requests(): ProxiedRequest[] {
    const heads: ProxiedRequest[] = []
    for (const connection of this.connections) {
      // Only bodiless requests go through here, so each head ends at a blank line.
      const text = Buffer.concat(connection.sent).toString('latin1')
      for (const head of text.split('\r\n\r\n').filter((h) => h.length > 0)) {
        const [requestLine = '', ...headerLines] = head.split('\r\n')
        const [method = '', path = ''] = requestLine.split(' ')
        const headers: Record<string, string> = {}
        for (const line of headerLines) {
          const colon = line.indexOf(':')
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
        }
        heads.push({ method, path, headers })
      }
    }
    return heads
  }

  /** The status line of each response head the server sent (e.g. `HTTP/1.1 204 No Content`). */
  statusLines(): string[] {
    return this.connections.flatMap((c) =>
      [
        ...Buffer.concat(c.received)
          .toString('latin1')
          .matchAll(/(?:^|\r\n)(HTTP\/1\.1 \d{3}[^\r\n]*)\r\n/g),
      ].map((m) => m[1] as string),
    )
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private relay(client: Socket, targetPort: number): void {
    const upstream = createConnection(targetPort, '127.0.0.1')
    const record = { sent: [] as Buffer[], received: [] as Buffer[] }
    this.connections.push(record)
    this.sockets.add(client).add(upstream)
    let forwarded = 0
    let cut = false
    client.on('data', (chunk: Buffer) => {
      record.sent.push(chunk)
      if (!cut) upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      // After a cut the server still writes; the bytes are kept for inspection but go nowhere.
      record.received.push(chunk)
      if (cut) return
      const received = Buffer.concat(record.received)
      const armed = this.armed
      const at = armed?.find(received, forwarded)
      if (armed && at !== undefined && at >= forwarded && at <= received.length) {
        this.armed = undefined
        this.cuts++
        cut = true
        this.held = { client, upstream }
        client.write(received.subarray(forwarded, at))
        if (!armed.hold) this.sever()
        return
      }
      forwarded = received.length
      client.write(chunk)
    })
    const closeBoth = (): void => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', closeBoth).on('close', () => {
      this.sockets.delete(client)
      upstream.destroy()
    })
    upstream
      .on('error', closeBoth)
      .on('end', () => {
        if (!cut) client.end()
      })
      .on('close', () => {
        this.sockets.delete(upstream)
        if (!cut && !client.writableEnded) client.end()
      })
  }
}

interface ParsedEvent {
  event: string
  data: string
  id: string
}

/** Parses a whole text/event-stream body exactly as the SSE spec tells an EventSource to. */
function parseEventStream(body: string): ParsedEvent[] {
  const events: ParsedEvent[] = []
  let data: string[] = []
  let event = ''
  let lastId = ''
  const lines = body.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  // The last piece follows the final line break: an unfinished line, never dispatched.
  lines.pop()
  for (const line of lines) {
    if (line === '') {
      if (data.length > 0) events.push({ event: event || 'message', data: data.join('\n'), id: lastId })
      data = []
      event = ''
      continue
    }
    if (line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    else if (field === 'id' && !value.includes('\0')) lastId = value
  }
  return events
}

const curlPath = (() => {
  const found = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' })
  return found.status === 0 ? found.stdout.trim() : undefined
})()

interface CurlResult {
  code: number | null
  stdout: string
  stderr: string
}

function curl(args: string[], stdin?: string): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(curlPath ?? 'curl', ['--max-time', '30', ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }))
    child.stdin.end(stdin ?? '')
  })
}

// ---------------------------------------------------------------------------------------------------------
// Shared state and helpers.

// Cleanups run last-added first: browser pages (their connections), then proxies and page servers, then the core.
const chromium = chromiumPerFile()

async function start(options?: HarnessOptions): Promise<Harness> {
  const h = await startHarness(options)
  chromium.afterThisTest(() => h.close())
  return h
}

async function pluginPageServer(): Promise<PageServer> {
  const pages = await servePluginPage()
  chromium.afterThisTest(() => pages.close())
  return pages
}

async function proxyTo(h: Harness): Promise<CuttingProxy> {
  const proxy = await CuttingProxy.start(h.core.server.port)
  chromium.afterThisTest(() => proxy.close())
  return proxy
}

/** Opens the plugin page on `pages` with its EventSource pointed at `src`. */
async function openPluginPage(pages: PageServer, src: string, options: { closeOnDone?: boolean } = {}): Promise<Page> {
  const page = await chromium.browser.newPage()
  chromium.afterThisTest(() => page.close())
  const query = new URLSearchParams({ src })
  if (options.closeOnDone === false) query.set('closeOnDone', 'no')
  await page.goto(`${pages.origin}/?${query.toString()}`)
  return page
}

const snapshot = async (page: Page): Promise<PageState> => (await page.evaluate('window.snapshot()')) as PageState

async function waitForPage(page: Page, condition: string, what: string): Promise<PageState> {
  try {
    await page.waitForFunction(`(() => { const s = window.snapshot(); return ${condition} })()`, undefined, { timeout: 20_000 })
  } catch (error) {
    throw new Error(`the page never reached "${what}" (${condition}); it has: ${JSON.stringify(await snapshot(page))}`, { cause: error })
  }
  return snapshot(page)
}

/** An EventSource URL, with its credential in the query (EventSource cannot set headers). */
const streamPath = (message: string, credential: string): string => `/chat/stream?message=${encodeURIComponent(message)}&token=${credential}`

/** A page on another site holds an integration key, never the console's own token (which it would be refused). */
const pluginKey = async (h: Harness): Promise<string> =>
  (await h.core.api.createIntegrationKey({ name: 'Helpdesk plugin', scopes: ['stream'] })).secret

const generateRequests = (h: Harness): number => h.emulator.requests.filter((r) => r.path.includes(':streamGenerateContent')).length

const messagesOf = (state: PageState): string[] => state.log.filter((e) => e.type === 'message').map((e) => e.data)

const namedOf = (state: PageState, type: Logged['type']): Logged[] => state.log.filter((e) => e.type === type)

/** What an EventSource makes of any line ending in text: the SSE spec turns CR LF and lone CR into LF. */
const asEventSourceSees = (text: string): string => text.replace(/\r\n|\r/g, '\n')

/** Text that tries every way to break SSE framing or a naive client. */
const TRICKY_CHUNKS = [
  'Здравствуйте!\n\n',
  '您好，我们已经收到您的订单。',
  '🙂 مرحبا بك 👩🏽‍💻\n- one\n- two\n\n\n',
  '[DONE]',
  '\nbefore\n[DONE]\nafter\n',
  '```sse\ndata: [DONE]\nevent: end\nid: 1-999\nretry: 1\n: not a comment\n```\n',
  '  leading and trailing spaces  ',
  '\n',
  'data:',
  ' [DONE] inline, not a line of its own',
  'line\u2028sep\u2029 NEL\u0085 tab\t end',
]

// ---------------------------------------------------------------------------------------------------------

describe('a browser EventSource on another origin (real Chromium)', () => {
  it('assembles tricky text exactly, gets meta/usage/end as named events, [DONE] once at the end, and the store has it all', async () => {
    const pages = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [pages.origin] } })
    const key = await pluginKey(h)
    h.emulator.enqueue({ chunks: TRICKY_CHUNKS, delayMs: 5 })
    const question = 'Где мой заказ? 我的订单在哪里？ 📦'
    const page = await openPluginPage(pages, `${h.url}${streamPath(question, key)}`)
    const state = await waitForPage(page, 's.closedByPage', 'closed after [DONE]')

    expect(state.text).toBe(TRICKY_CHUNKS.join(''))
    const messages = messagesOf(state)
    expect(messages.filter((m) => m === '[DONE]')).toHaveLength(1)
    expect(messages.at(-1)).toBe('[DONE]')
    expect(state.log.at(-1)).toMatchObject({ type: 'message', data: '[DONE]' })
    expect(state.opens).toBe(1)
    expect(state.errors).toEqual([])
    expect(namedOf(state, 'error')).toEqual([])

    expect(state.log[0]?.type).toBe('meta')
    const meta = JSON.parse(namedOf(state, 'meta')[0]?.data ?? 'null') as { conversationId: number; messageId: number; model: string }
    expect(meta).toMatchObject({ conversationId: expect.any(Number), messageId: expect.any(Number), model: expect.any(String) })
    const usage = JSON.parse(namedOf(state, 'usage')[0]?.data ?? 'null') as { totalTokens: number }
    expect(usage.totalTokens).toBeGreaterThan(0)
    const end = JSON.parse(namedOf(state, 'end')[0]?.data ?? 'null') as { messageId: number; status: string }
    expect(end).toMatchObject({ messageId: meta.messageId, status: 'complete' })
    // Every event carries an id the browser can resume from.
    expect(state.log.every((e) => /^\d+-\d+(\.\d+)?$/.test(e.lastEventId))).toBe(true)

    const saved = h.core.store.getDetail(meta.conversationId)
    expect(saved?.messages.map((m) => [m.id, m.role, m.text, m.status])).toEqual([
      [expect.any(Number), 'customer', question, 'complete'],
      [meta.messageId, 'assistant_draft', TRICKY_CHUNKS.join(''), 'complete'],
    ])
    expect(generateRequests(h)).toBe(1)
  })

  it('gets CR LF (and a lone CR) as LF, as the SSE spec mandates, while the store keeps the original', async () => {
    const pages = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [pages.origin] } })
    const key = await pluginKey(h)
    const chunks = ['Dear customer,\r\n\r\n', 'your refund\r\nis on its way.\r\n', 'old\rMac line', ' — thanks\r\n']
    h.emulator.enqueue({ chunks })
    const page = await openPluginPage(pages, `${h.url}${streamPath('refund?', key)}`)
    const state = await waitForPage(page, 's.closedByPage', 'closed after [DONE]')

    expect(state.text).toBe('Dear customer,\n\nyour refund\nis on its way.\nold\nMac line — thanks\n')
    expect(state.text).toBe(asEventSourceSees(chunks.join('')))
    const { conversationId } = JSON.parse(namedOf(state, 'meta')[0]?.data ?? 'null') as { conversationId: number }
    expect(h.core.store.getDetail(conversationId)?.messages[1]?.text).toBe(chunks.join(''))
  })

  // Each delta is framed on its own: a CR ending one chunk and the LF starting the next must still make one
  // line break, not a blank line, while the store keeps the CR LF.
  it('joins a CR LF split across two chunks into one line break', async () => {
    const pages = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [pages.origin] } })
    const key = await pluginKey(h)
    const chunks = ['line one\r', '\nline two']
    h.emulator.enqueue({ chunks })
    const page = await openPluginPage(pages, `${h.url}${streamPath('hi', key)}`)
    const state = await waitForPage(page, 's.closedByPage', 'closed after [DONE]')
    const { conversationId } = JSON.parse(namedOf(state, 'meta')[0]?.data ?? 'null') as { conversationId: number }
    expect(h.core.store.getDetail(conversationId)?.messages[1]?.text).toBe('line one\r\nline two')
    expect(state.text).toBe('line one\nline two')
  })

  it('reconnects by itself after the connection is cut mid-event, resuming with Last-Event-ID: every chunk exactly once, one Gemini request', async () => {
    const pages = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [pages.origin] }, sse: { retryMs: 100 } })
    const key = await pluginKey(h)
    const proxy = await proxyTo(h)
    // Each chunk starts with a two-byte character, so the cut below lands inside a UTF-8 sequence too.
    const chunks = Array.from({ length: 40 }, (_, i) => `ж${i}${i % 7 === 6 ? '\n' : ' '}`)
    h.emulator.enqueue({ chunks, delayMs: 25 })
    const page = await openPluginPage(pages, `${proxy.url}${streamPath('hello', key)}`)

    await waitForPage(page, "s.log.filter((e) => e.type === 'message').length >= 8", 'eight messages')
    // Cut in the middle of the next data line: after `data: ` and the first byte of `ж`.
    proxy.cutWhen((received, forwarded) => {
      const at = received.indexOf('data: ', forwarded)
      return at < 0 ? undefined : at + 'data: '.length + 1
    })

    const state = await waitForPage(page, 's.closedByPage', 'closed after [DONE]')
    expect(proxy.cuts, 'the proxy cut the stream before it ended').toBe(1)
    expect(state.errors.length).toBeGreaterThanOrEqual(1)
    expect(state.opens).toBe(2)
    expect(state.text).toBe(chunks.join(''))
    expect(messagesOf(state)).toEqual([...chunks, '[DONE]'])
    expect(namedOf(state, 'meta')).toHaveLength(1)
    expect(namedOf(state, 'end')).toHaveLength(1)
    expect(generateRequests(h)).toBe(1)

    // The browser's own reconnect carried the id of the last event it had dispatched, and got the rest.
    const streams = proxy.requests().filter((r) => r.method === 'GET' && r.path.startsWith('/chat/stream'))
    expect(streams).toHaveLength(2)
    expect(streams[0]?.headers['last-event-id']).toBeUndefined()
    expect(streams[1]?.headers.origin).toBe(pages.origin)
    const firstConnection = state.log.filter((e) => e.conn === 1)
    const secondConnection = state.log.filter((e) => e.conn === 2)
    expect(firstConnection.length).toBeGreaterThanOrEqual(8)
    expect(secondConnection.length).toBeGreaterThan(0)
    expect(streams[1]?.headers['last-event-id']).toBe(firstConnection.at(-1)?.lastEventId)

    const { conversationId } = JSON.parse(namedOf(state, 'meta')[0]?.data ?? 'null') as { conversationId: number }
    expect(h.core.store.getDetail(conversationId)?.messages[1]).toMatchObject({ text: chunks.join(''), status: 'complete' })
  })

  // One generation event can take several SSE events: a delta holding a line `[DONE]` goes out as `[DONE`
  // and `]`; the end goes out as `error`, `end` and `data: [DONE]`. Each has its own id, so a browser whose
  // connection drops inside such a group resumes exactly where it was. The cut is held open until the page
  // has dispatched the first event of the group, so the browser's Last-Event-ID is certain.
  it('resumes inside a split [DONE] line when the connection drops between its two events', async () => {
    const pages = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [pages.origin] }, sse: { retryMs: 100 } })
    const key = await pluginKey(h)
    const proxy = await proxyTo(h)
    const chunks = ['alpha ', '[DONE]', ' omega']
    h.emulator.enqueue({ chunks, delayMs: 25 })
    const firstPiece = Buffer.from('data: [DONE\n\n')
    proxy.cutWhen(
      (received, forwarded) => {
        const at = received.indexOf(firstPiece, forwarded)
        return at < 0 ? undefined : at + firstPiece.length
      },
      { hold: true },
    )
    const page = await openPluginPage(pages, `${proxy.url}${streamPath('hello', key)}`)
    await waitForPage(page, "s.log.some((e) => e.data === '[DONE')", 'the first piece')
    proxy.sever()
    const state = await waitForPage(page, 's.closedByPage', 'closed after [DONE]')
    const pieceId = state.log.find((e) => e.data === '[DONE')?.lastEventId
    expect(proxy.requests().map((r) => r.headers['last-event-id'])).toEqual([undefined, pieceId])
    expect(state.text).toBe(chunks.join(''))
  })

  it('still delivers [DONE] when the connection drops between the `end` event and [DONE]', async () => {
    const pages = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [pages.origin] }, sse: { retryMs: 100 } })
    const key = await pluginKey(h)
    const proxy = await proxyTo(h)
    const chunks = ['Your ', 'refund ', 'is on its way.']
    h.emulator.enqueue({ chunks, delayMs: 10 })
    proxy.cutWhen(
      (received, forwarded) => {
        const at = received.indexOf('event: end\n', forwarded)
        const frameEnd = at < 0 ? -1 : received.indexOf('\n\n', at)
        return frameEnd < 0 ? undefined : frameEnd + 2
      },
      { hold: true },
    )
    const page = await openPluginPage(pages, `${proxy.url}${streamPath('hello', key)}`)
    await waitForPage(page, "s.log.some((e) => e.type === 'end')", 'the end event')
    proxy.sever()
    const state = await waitForPage(page, `s.readyState === ${EVENTSOURCE_CLOSED}`, 'EventSource closed')
    const endId = state.log.find((e) => e.type === 'end')?.lastEventId
    expect(proxy.requests().map((r) => r.headers['last-event-id'])).toEqual([undefined, endId])
    expect(state.text).toBe(chunks.join(''))
    expect(messagesOf(state).filter((m) => m === '[DONE]')).toHaveLength(1)
  })

  it('a client that ignores [DONE] reconnects once after the end, is told 204 and stops, without a duplicate', async () => {
    const pages = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [pages.origin] }, sse: { retryMs: 100 } })
    const key = await pluginKey(h)
    const proxy = await proxyTo(h)
    const chunks = ['One ', 'reply, ', 'once.']
    h.emulator.enqueue({ chunks })
    const page = await openPluginPage(pages, `${proxy.url}${streamPath('hello', key)}`, { closeOnDone: false })
    const state = await waitForPage(page, `s.readyState === ${EVENTSOURCE_CLOSED}`, 'EventSource closed by the server')

    expect(state.closedByPage).toBe(false)
    expect(messagesOf(state)).toEqual([...chunks, '[DONE]'])
    const streams = proxy.requests().filter((r) => r.method === 'GET' && r.path.startsWith('/chat/stream'))
    expect(streams).toHaveLength(2)
    expect(streams[1]?.headers['last-event-id']).toBe(state.log.at(-1)?.lastEventId)
    expect(
      proxy
        .statusLines()
        .filter((s) => / 200 /.test(s) || / 204 /.test(s))
        .map((s) => s.split(' ')[1]),
    ).toEqual(['200', '204'])
    expect(generateRequests(h)).toBe(1)
  })

  it('a page on an origin that is not allowed gets no data and starts no generation', async () => {
    const allowed = await pluginPageServer()
    const other = await pluginPageServer()
    const h = await start({ settings: { allowedOrigins: [allowed.origin] } })
    const key = await pluginKey(h)
    // Through the proxy only to see what the server answered, which the page itself is not allowed to read.
    const proxy = await proxyTo(h)
    h.emulator.enqueue({ chunks: ['must never be generated'] })
    const page = await openPluginPage(other, `${proxy.url}${streamPath('hello', key)}`)
    const state = await waitForPage(page, `s.readyState === ${EVENTSOURCE_CLOSED}`, 'EventSource failed')

    expect(proxy.requests().map((r) => [r.method, r.headers.origin])).toEqual([['GET', other.origin]])
    expect(proxy.statusLines()).toEqual(['HTTP/1.1 403 Forbidden'])
    expect(state.errors).toEqual([EVENTSOURCE_CLOSED])
    expect(state.opens).toBe(0)
    expect(state.log).toEqual([])
    expect(state.text).toBe('')
    expect(h.emulator.requests).toHaveLength(0)
    expect(h.core.store.listConversations().conversations).toHaveLength(0)
  })
})

// Skipped, with the reason in the test name, only where curl is not installed.
const curlNote = curlPath ? '' : ' [skipped: curl is not on PATH]'

describe('curl', () => {
  it.skipIf(!curlPath)(`streams GET /chat/stream as SSE whose unnamed data lines make the reply, ending with data: [DONE]${curlNote}`, async () => {
    const h = await start()
    h.emulator.enqueue({ chunks: TRICKY_CHUNKS, delayMs: 5 })
    const question = 'Mi pedido no llegó 📦'
    const result = await curl(['-sN', '-H', `Authorization: Bearer ${TEST_TOKEN}`, `${h.url}/chat/stream?message=${encodeURIComponent(question)}`])
    expect(result.code, result.stderr).toBe(0)

    expect(result.stdout.endsWith('data: [DONE]\n\n')).toBe(true)
    // A line-oriented script (`grep -x 'data: \[DONE\]'`) sees the terminator exactly once, at the end.
    const lines = result.stdout.split('\n')
    expect(lines.filter((l) => l === 'data: [DONE]')).toHaveLength(1)
    const events = parseEventStream(result.stdout)
    const unnamed = events.filter((e) => e.event === 'message').map((e) => e.data)
    expect(unnamed.at(-1)).toBe('[DONE]')
    expect(unnamed.slice(0, -1).join('')).toBe(TRICKY_CHUNKS.join(''))
    const meta = JSON.parse(events.find((e) => e.event === 'meta')?.data ?? 'null') as { conversationId: number; messageId: number }
    const saved = h.core.store.getDetail(meta.conversationId)
    expect(saved?.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', question],
      ['assistant_draft', TRICKY_CHUNKS.join('')],
    ])

    const listed = await curl(['-s', '-H', `Authorization: Bearer ${TEST_TOKEN}`, `${h.url}/api/conversations`])
    expect(listed.code, listed.stderr).toBe(0)
    const page = JSON.parse(listed.stdout) as ConversationPage
    expect(page.conversations.map((c) => [c.id, c.title, c.messageCount])).toEqual([[meta.conversationId, question, 2]])
    expect(page.nextCursor).toBeNull()

    const refused = await curl(['-s', '-o', '/dev/null', '-w', '%{http_code}', `${h.url}/api/conversations`])
    expect(refused.stdout).toBe('401')
  })

  it.skipIf(!curlPath)(`POSTs a JSON body from stdin (-d @-) and streams the reply${curlNote}`, async () => {
    const h = await start()
    const chunks = ['Entschuldigung ', 'für die Verspätung!\n\n', 'Ihr Paket 📦 kommt morgen.']
    h.emulator.enqueue({ chunks })
    // JSON escapes the newline, so `-d`, which drops raw CR and LF from its input, leaves the message intact.
    const message = 'Mein Paket ist nicht angekommen 📦\nBestellung #42 "eilig"'
    const result = await curl(
      ['-sN', '-H', `Authorization: Bearer ${TEST_TOKEN}`, '-H', 'Content-Type: application/json', '-d', '@-', `${h.url}/chat/stream`],
      JSON.stringify({ message, source: 'curl-script' }),
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.endsWith('data: [DONE]\n\n')).toBe(true)
    const events = parseEventStream(result.stdout)
    const unnamed = events.filter((e) => e.event === 'message').map((e) => e.data)
    expect(unnamed).toEqual([...chunks, '[DONE]'])
    const meta = JSON.parse(events.find((e) => e.event === 'meta')?.data ?? 'null') as { conversationId: number }
    const saved = h.core.store.getDetail(meta.conversationId)
    expect(saved?.conversation.source).toBe('curl-script')
    expect(saved?.messages.map((m) => [m.role, m.text, m.source])).toEqual([
      ['customer', message, 'curl-script'],
      ['assistant_draft', chunks.join(''), 'curl-script'],
    ])
    const sent = h.emulator.requests.find((r) => r.path.includes(':streamGenerateContent'))?.body as {
      contents: Array<{ parts: Array<{ text: string }> }>
    }
    expect(sent.contents.at(-1)?.parts[0]?.text).toBe(message)
  })
})
