// GET /events?conversations=…: one stream following several conversations. A real EventSource in Chromium, on a
// page from another origin, follows eight conversations at once (more than the six connections a browser allows
// per origin), loses its connection mid-way, and resumes every conversation exactly with Last-Event-ID, including
// a draft that started and finished while it was away. The core, SQLite and HTTP are real; Gemini is the emulator.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { connect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { GenerationEvent } from '../src/shared/generation-events'
import { MAX_FOLLOWED_CONVERSATIONS } from '../src/shared/limits'
import { encodeMultiEventId, parseMultiEventId } from '../src/main/core/server/multi-events-ids'
import { chromiumPerFile } from './helpers/browser-per-file'
import { startHarness, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { waitFor } from './helpers/wait-for'

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Ticket board</title>
<script>
  const state = { log: [], ready: [], opens: 0 }
  const source = new EventSource(new URLSearchParams(location.search).get('src'))
  source.onopen = () => { state.opens++ }
  source.onmessage = (e) => { state.log.push({ ...JSON.parse(e.data), lastEventId: e.lastEventId, conn: state.opens }) }
  source.addEventListener('ready', (e) => { state.ready.push({ ...JSON.parse(e.data), lastEventId: e.lastEventId }) })
  window.snapshot = () => JSON.parse(JSON.stringify(state))
</script>
`

interface Logged {
  conversationId: number
  messageId: number
  event: GenerationEvent
  lastEventId: string
  conn: number
}
interface PageState {
  log: Logged[]
  ready: Array<{ conversations: number[]; lastEventId: string }>
  opens: number
}

/** A TCP relay in front of the core that can drop every connection and refuse new ones until it is let up again. */
class Switch {
  up = true
  readonly heads: string[] = []
  private readonly sockets = new Set<Socket>()
  private constructor(readonly server: TcpServer) {}

  static async start(targetPort: number): Promise<Switch> {
    const server = createTcpServer()
    const relay = new Switch(server)
    server.on('connection', (client) => {
      if (!relay.up) {
        client.destroy()
        return
      }
      const upstream = connect(targetPort, '127.0.0.1')
      let head = ''
      client.on('data', (chunk: Buffer) => {
        if (!head.includes('\r\n\r\n')) head += chunk.toString('latin1')
        if (head.includes('\r\n\r\n') && !relay.heads.includes(head)) relay.heads.push(head)
      })
      client.pipe(upstream).pipe(client)
      for (const socket of [client, upstream]) {
        relay.sockets.add(socket)
        socket.on('error', () => {}).on('close', () => relay.sockets.delete(socket))
      }
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return relay
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  cut(): void {
    this.up = false
    for (const socket of this.sockets) socket.destroy()
  }

  async close(): Promise<void> {
    this.cut()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

const chromium = chromiumPerFile()

async function servePage(): Promise<string> {
  const server: HttpServer = createHttpServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(PAGE)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  chromium.afterThisTest(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options)
  chromium.afterThisTest(() => h.close())
  return h
}

async function conversationWithMessage(h: Harness, text: string): Promise<number> {
  const { id } = await h.core.api.createConversation({})
  await h.core.api.addCustomerMessage(id, text)
  return id
}

/** Each draft's events as the page got them, in order, by message id. */
function byDraft(log: Logged[]): Map<number, Logged[]> {
  const drafts = new Map<number, Logged[]>()
  for (const entry of log) drafts.set(entry.messageId, [...(drafts.get(entry.messageId) ?? []), entry])
  return drafts
}

const textOf = (events: Logged[]): string => events.map((e) => (e.event.type === 'delta' ? e.event.text : '')).join('')

describe('GET /events in Chromium', () => {
  it('follows eight conversations on one EventSource and resumes each exactly after the connection drops', async () => {
    const origin = await servePage()
    const h = await start({ settings: { allowedOrigins: [origin] } })
    const relay = await Switch.start(h.core.server.port)
    chromium.afterThisTest(() => relay.close())
    const key = (await h.core.api.createIntegrationKey({ name: 'Ticket board', scopes: ['read'] })).secret
    const ids: number[] = []
    for (let i = 1; i <= 8; i++) ids.push(await conversationWithMessage(h, `Customer ${i}: where is my order?`))
    const [late, ...busy] = ids.reverse() as [number, ...number[]]

    const page = await chromium.browser.newPage()
    chromium.afterThisTest(() => page.close())
    await page.goto(`${origin}/?src=${encodeURIComponent(`${relay.url}/events?conversations=${ids.join(',')}&token=${key}`)}`)
    const snapshot = async (): Promise<PageState> => (await page.evaluate('window.snapshot()')) as PageState
    await waitFor(async () => (await snapshot()).ready.length === 1, 'the ready event')
    expect((await snapshot()).ready[0]?.conversations).toEqual(ids)

    // Seven drafts at once, slow enough to be cut mid-way.
    for (let i = 0; i < busy.length; i++) h.emulator.enqueue({ chunks: Array.from({ length: 12 }, (_, n) => `c${i}-${n} `), delayMs: 60 })
    for (const id of busy) await h.core.api.startDraft(id)
    await waitFor(async () => {
      const drafts = byDraft((await snapshot()).log)
      return drafts.size === busy.length && [...drafts.values()].every((events) => events.filter((e) => e.event.type === 'delta').length >= 2)
    }, 'two deltas of each of the seven drafts')
    relay.cut()

    // While the page is away: the eighth conversation gets a whole draft, start to end.
    h.emulator.enqueue({ chunks: ['Late ', 'but ', 'complete.'] })
    await h.core.api.startDraft(late)
    await waitFor(async () => (await h.core.api.getConversation(late)).messages.at(-1)?.status === 'complete', 'the late draft to finish')
    relay.up = true

    await waitFor(
      async () => (await snapshot()).log.filter((e) => e.event.type === 'end').length === ids.length,
      'every draft to end on the page',
      20_000,
    )
    const done = await snapshot()

    expect(done.opens).toBe(2)
    expect(relay.heads.filter((head) => head.startsWith('GET /events'))).toHaveLength(2)
    // The reconnect carried the position in every conversation the page had seen.
    const resumedFrom = relay.heads.at(-1)?.match(/last-event-id: (\S+)/i)?.[1]
    const position = parseMultiEventId(resumedFrom ?? '')
    expect([...(position?.positions.keys() ?? [])].sort()).toEqual([...busy].sort())

    const drafts = byDraft(done.log)
    expect(drafts.size).toBe(ids.length)
    for (const id of ids) {
      const detail = await h.core.api.getConversation(id)
      const saved = detail.messages.at(-1)
      const events = drafts.get(saved?.id ?? 0) ?? []
      // Every event exactly once, in order: seq 1, 2, 3, ... to the end, across the reconnect.
      expect(events.map((e) => e.event.seq)).toEqual(events.map((_, i) => i + 1))
      expect(events.every((e) => e.conversationId === id)).toBe(true)
      expect(events[0]?.event.type).toBe('meta')
      expect(events.at(-1)?.event).toMatchObject({ type: 'end', status: 'complete' })
      expect(textOf(events)).toBe(saved?.text)
    }
    // The busy drafts were seen on both connections; the late one only after the reconnect.
    for (const id of busy) expect(new Set(done.log.filter((e) => e.conversationId === id).map((e) => e.conn))).toEqual(new Set([1, 2]))
    expect(new Set(done.log.filter((e) => e.conversationId === late).map((e) => e.conn))).toEqual(new Set([2]))
    expect(textOf(done.log.filter((e) => e.conversationId === late))).toBe('Late but complete.')
  })
})

describe('GET /events over HTTP', () => {
  it('refuses unknown conversations, too many, a key without read, and an id it did not send', async () => {
    const h = await start()
    const id = await conversationWithMessage(h, 'Hi')
    const get = (query: string, headers: Record<string, string> = {}, token = TEST_TOKEN): Promise<Response> =>
      fetch(`${h.url}/events${query}`, { headers: { Authorization: `Bearer ${token}`, ...headers } })
    const missing = await get(`?conversations=${id},999999`)
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('999999')
    expect((await get('')).status).toBe(400)
    expect((await get('?conversations=1;2')).status).toBe(400)
    const many = Array.from({ length: MAX_FOLLOWED_CONVERSATIONS + 1 }, (_, i) => i + 1).join(',')
    const tooMany = await get(`?conversations=${many}`)
    expect(tooMany.status).toBe(400)
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toContain(String(MAX_FOLLOWED_CONVERSATIONS))
    const streamOnly = (await h.core.api.createIntegrationKey({ name: 'Writer', scopes: ['stream'] })).secret
    expect((await get(`?conversations=${id}`, {}, streamOnly)).status).toBe(403)
    expect((await get(`?conversations=${id}`, { 'Last-Event-ID': '5-3' })).status).toBe(400)
  })

  it('encodes and parses positions exactly, and refuses anything else', () => {
    const position = {
      watermark: 41,
      positions: new Map([
        [3, { messageId: 45, seq: 2 }],
        [1, { messageId: 42, seq: 7 }],
      ]),
    }
    const id = encodeMultiEventId(position)
    expect(id).toBe('w41_1.42.7_3.45.2')
    expect(parseMultiEventId(id)).toEqual({
      watermark: 41,
      positions: new Map([
        [1, { messageId: 42, seq: 7 }],
        [3, { messageId: 45, seq: 2 }],
      ]),
    })
    expect(parseMultiEventId('w0')).toEqual({ watermark: 0, positions: new Map() })
    for (const bad of ['', '42-7', 'w', 'w1_1.2', 'w1_1.2.3_', 'x1_1.2.3']) expect(parseMultiEventId(bad), bad).toBeUndefined()
  })
})
