// Property-based fuzzing of the local HTTP server over raw sockets (fast-check): thousands of generated requests,
// most of them wrong in one or more ways (paths, query strings, token, Host, Origin, headers, bodies, framing,
// methods, trickled delivery), against the real core with seeded transcripts. For every request:
// - the answer is correct by fuzz-http-judge.ts: a JSON 4xx refusal, or a 2xx the request earned with a body
//   that matches its type; never a 5xx, never a hang, never a silent close (except CONNECT or an abandoned request);
// - a request that was not served changed nothing: every transcript row (read over a second, read-only SQLite
//   connection), settings.json, and no request reached Gemini;
// and after each batch the server still answers /health.
// FUZZ_RUNS raises the number of generated requests (default below); FUZZ_SEED replays a run; FUZZ_DEBUG=<file>
// appends one line per request (time taken, statuses, claims, bytes) to that file.
// What it found (F1–F5, all fixed in src/main/core/server; their history is in CONTRIBUTING.md, "Fuzzing"): the
// tests at the end, under 'findings', each with the exact bytes that triggered it.
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DATABASE_FILE, SETTINGS_FILE } from '../src/main/core/config/settings'
import { startHarness, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { judge } from './helpers/fuzz-http-judge'
import { encodeRequest, requestArbitrary, splitPieces, withLiveIds, type FuzzRequest } from './helpers/fuzz-http-requests'
import { sendRaw, showBytes, type RawExchange, type RawResponse } from './helpers/fuzz-raw-http'
import { firstDifference, openTranscriptSnapshots, type TranscriptSnapshots } from './helpers/fuzz-transcripts'
import { waitFor } from './helpers/wait-for'

const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000)
const BATCH = 500
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647)
/** After the last byte is sent, how long the server has to answer or close. */
const ANSWER_DEADLINE_MS = 10_000

let h: Harness
let snapshots: TranscriptSnapshots
const seededIds: number[] = []

const TITLES = ['Parcel never arrived', 'Refund für Bestellung 4711', '退货 🙂']

async function addConversation(index: number): Promise<number> {
  const api = h.core.api
  const conversation = await api.createConversation({ title: TITLES[index % TITLES.length] })
  await api.addCustomerMessage(conversation.id, `Customer message ${index}: where is my order?`)
  await api.useReply(conversation.id, `Agent reply ${index}: it left the warehouse today.`)
  return conversation.id
}

/** A served DELETE may remove seeded conversations; refusals are only worth checking against real transcripts. */
async function keepSeeded(): Promise<void> {
  for (let n = snapshots.counts().conversations; n < TITLES.length; n++) await addConversation(n)
}

async function seed(): Promise<void> {
  for (const index of TITLES.keys()) seededIds.push(await addConversation(index))
  // One conversation with a finished AI draft as well.
  const { messageId } = await h.core.api.startDraft(seededIds[0] as number)
  await waitFor(() => h.core.store.getMessage(messageId)?.status === 'complete', 'the seeded draft to complete')
}

/** Lets drafts a served request started finish, so the next request's "before" is stable. */
async function quiesce(): Promise<void> {
  if (h.core.hub.liveCount === 0 && snapshots.streaming() === 0) return
  await waitFor(() => h.core.hub.liveCount === 0 && snapshots.streaming() === 0, 'drafts started by a served request to end', 20_000)
}

const settingsText = (): string => {
  const file = join(h.dataDir, SETTINGS_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8') : ''
}

function describeFailure(request: FuzzRequest, bytes: Buffer, exchange: RawExchange, problems: string[]): string {
  const responses = exchange.responses.map((r) => `${r.status} ${JSON.stringify(r.headers)} ${showBytes(r.body, 300)}`)
  return [
    ...problems,
    `request bytes: ${showBytes(bytes)}${bytes.length > 600 ? `, ending ${showBytes(bytes.subarray(-300))}` : ''}`,
    `pieces: ${request.pieces}, trickle: ${request.trickleMs} ms, claims: ${JSON.stringify(request.claims)}`,
    `responses: ${responses.join(' | ') || 'none'}; closed by server: ${exchange.closedByServer}; error: ${exchange.error ?? 'none'}`,
  ].join('\n')
}

const errorCodeOf = (response: RawResponse): string | undefined => {
  try {
    return (JSON.parse(response.body.toString('utf8')) as { error?: { code?: string } }).error?.code
  } catch {
    return undefined
  }
}

const stats = new Map<string, number>()
const count = (key: string): void => void stats.set(key, (stats.get(key) ?? 0) + 1)

async function exchangeOne(generated: FuzzRequest): Promise<void> {
  await quiesce()
  await keepSeeded()
  const startedAt = Date.now()
  const request = withLiveIds(generated, snapshots.ids())
  const before = snapshots.take()
  const settingsBefore = settingsText()
  const geminiBefore = h.emulator.requests.length
  const bytes = encodeRequest(request)
  const path = request.target.split('?')[0] ?? ''
  const exchange = await sendRaw({
    port: h.core.server.port,
    pieces: splitPieces(bytes, request.pieces),
    trickleMs: request.trickleMs,
    // An honest request is complete as sent; any other may leave the server waiting for bytes that never come.
    halfClose: request.framing !== 'length' && !(request.framing === 'none' && request.body.length === 0),
    head: request.method === 'HEAD',
    // A follow stream never ends on its own; a reply stream ends after [DONE].
    cutStreamAfterMs: path.endsWith('/events') ? 30 : undefined,
    // Only a request with honest framing and no CR or LF inside a header is exactly one request.
    settleMs: request.framing === 'length' && request.lineEnding === '\r\n' && !request.headers.some(([n, v]) => /[\r\n]/.test(n + v)) ? 0 : 10,
    timeoutMs: ANSWER_DEADLINE_MS,
  })
  const verdict = judge(request, exchange)
  await quiesce()
  const problems = [...verdict.problems]
  if (!verdict.served) {
    const changes: string[] = []
    const after = snapshots.take()
    if (after !== before) changes.push(`a request that was not served changed transcripts ${firstDifference(before, after)}`)
    if (settingsText() !== settingsBefore) changes.push('a request that was not served changed settings.json')
    if (h.emulator.requests.length !== geminiBefore) changes.push('a request that was not served reached Gemini')
    problems.push(...changes)
  }
  for (const response of exchange.responses) count(`${response.status} ${errorCodeOf(response) ?? ''}`.trim())
  if (exchange.responses.length === 0) count('closed without response')
  count(verdict.served ? 'served' : 'refused, nothing changed')
  if (process.env.FUZZ_DEBUG)
    appendFileSync(
      process.env.FUZZ_DEBUG,
      `${Date.now() - startedAt} ms ${exchange.responses.map((r) => r.status).join(',')} ${JSON.stringify(request.claims)} ${showBytes(bytes, 300)}\n`,
    )
  if (problems.length > 0) throw new Error(describeFailure(request, bytes, exchange, problems))
}

beforeAll(async () => {
  // Room for many follow streams at once (their closes are counted down asynchronously), and a draft whose
  // requester went away (a half-closed request) stops soon instead of after the default 10 s grace.
  h = await startHarness({ settings: { maxConcurrentStreams: 10_000, disconnectGraceMs: 100 } })
  await seed()
  snapshots = openTranscriptSnapshots(join(h.dataDir, DATABASE_FILE))
})

afterAll(async () => {
  snapshots?.close()
  await h?.close()
})

/** The first line of everything the server logged as an unexpected error during the fuzz, counted. */
function captureUnexpectedErrors(): { counts: Map<string, number>; restore(): void } {
  const counts = new Map<string, number>()
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    const [label, error] = args
    const key = `${String(label)} ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.split('\n')[0] as string
    counts.set(key, (counts.get(key) ?? 0) + 1)
  })
  return { counts, restore: () => spy.mockRestore() }
}

describe('the local HTTP server under fuzzed raw requests', () => {
  it(
    `answers ${RUNS} generated requests correctly, stays up, and changes nothing it refuses`,
    async () => {
      const logged = captureUnexpectedErrors()
      const context = { port: h.core.server.port, token: TEST_TOKEN, ids: seededIds }
      const arbitrary = requestArbitrary(context)
      const started = Date.now()
      let sent = 0
      for (let batch = 0; sent < RUNS; batch++) {
        const numRuns = Math.min(BATCH, RUNS - sent)
        await fc.assert(
          fc.asyncProperty(arbitrary, async (request) => {
            sent++
            await exchangeOne(request)
          }),
          // Shrinking a network property replays many requests; a short path to a small example is enough.
          { numRuns, seed: SEED + batch, endOnFailure: false, interruptAfterTimeLimit: 600_000 },
        )
        const health = await fetch(`${h.url}/health`)
        expect(health.status, `after batch ${batch + 1}`).toBe(200)
        expect(await health.json()).toEqual({ status: 'ok' })
      }
      logged.restore()
      const counts = snapshots.counts()
      const table = [...stats.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`)
      console.log(
        `fuzz-http: ${sent} generated requests (seed ${SEED}, FUZZ_RUNS=${RUNS}) in ${Date.now() - started} ms; ` +
          `database now ${counts.conversations} conversations, ${counts.messages} messages\n  ${table.join('\n  ')}`,
      )
      // A log line that says "unexpected error" sends someone looking for a bug: a fuzzed request must never cause one.
      console.log(`fuzz-http: unexpected errors the server logged: ${JSON.stringify(Object.fromEntries(logged.counts))}`)
      expect([...logged.counts.keys()]).toEqual([])
      expect(sent).toBeGreaterThanOrEqual(RUNS)
    },
    60_000 + RUNS * 50,
  )
})

/** One raw request, whole or in pieces, answered as the exchange the fuzz judges. */
async function rawRequest(text: string, options: { body?: Buffer; pieces?: number; trickleMs?: number } = {}): Promise<RawExchange> {
  const bytes = Buffer.concat([Buffer.from(text, 'latin1'), options.body ?? Buffer.alloc(0)])
  return sendRaw({
    port: h.core.server.port,
    pieces: splitPieces(bytes, options.pieces ?? 1),
    trickleMs: options.trickleMs,
    timeoutMs: ANSWER_DEADLINE_MS,
  })
}

const head = (lines: string[]): string => `${lines.join('\r\n')}\r\n\r\n`
const host = (): string => `Host: 127.0.0.1:${h.core.server.port}`
const AUTH = `Authorization: Bearer ${TEST_TOKEN}`

describe('slow and oversized requests', () => {
  it('answers requests trickled in byte by byte exactly as when they arrive whole', async () => {
    const id = snapshots.ids()[0] as number
    const body = Buffer.from(JSON.stringify({ title: 'Trickled 🐌' }))
    const requests: Array<[string, Buffer | undefined, number]> = [
      [head([`GET /api/conversations/${id} HTTP/1.1`, host(), AUTH, 'Connection: close']), undefined, 200],
      [
        head([
          `PATCH /api/conversations/${id} HTTP/1.1`,
          host(),
          AUTH,
          'Content-Type: application/json',
          `Content-Length: ${body.length}`,
          'Connection: close',
        ]),
        body,
        200,
      ],
      [head([`GET /api/conversations HTTP/1.1`, host(), 'Authorization: Bearer wrong-token-0123456789', 'Connection: close']), undefined, 401],
      [head([`GET /api/conversations HTTP/1.1`, 'Host: evil.example', AUTH, 'Connection: close']), undefined, 403],
    ]
    for (const [text, requestBody, status] of requests) {
      const bytes = text.length + (requestBody?.length ?? 0)
      // One byte per write, a millisecond apart: bounded (a few hundred bytes), yet every boundary is split.
      const exchange = await rawRequest(text, { body: requestBody, pieces: bytes, trickleMs: 1 })
      expect(
        exchange.responses.map((r) => r.status),
        text.split('\r\n')[0],
      ).toEqual([status])
    }
    expect(h.core.store.getConversation(id)?.title).toBe('Trickled 🐌')
  })

  it('refuses oversized request lines, headers and bodies with a JSON 4xx, changing nothing', async () => {
    const before = snapshots.take()
    const huge = Buffer.from(JSON.stringify({ title: 'x'.repeat(2_000_000) }))
    const cases: Array<[string, Buffer | undefined, number, string]> = [
      [head([`GET /api/conversations?q=${'a'.repeat(70_000)} HTTP/1.1`, host(), AUTH, 'Connection: close']), undefined, 431, 'headers-too-large'],
      [
        head([`GET /api/conversations HTTP/1.1`, host(), AUTH, `X-Padding: ${'p'.repeat(70_000)}`, 'Connection: close']),
        undefined,
        431,
        'headers-too-large',
      ],
      [
        head([`POST /api/conversations HTTP/1.1`, host(), AUTH, 'Content-Type: application/json', `Content-Length: ${huge.length}`]),
        huge,
        413,
        'payload-too-large',
      ],
      [
        head([`POST /chat/stream HTTP/1.1`, host(), AUTH, 'Content-Type: application/json', `Content-Length: ${huge.length}`]),
        huge,
        413,
        'payload-too-large',
      ],
    ]
    for (const [text, body, status, code] of cases) {
      const exchange = await rawRequest(text, { body })
      const verdict = judge(
        { method: text.split(' ')[0] as string, claims: { token: 'valid', host: 'loopback', origin: 'none-or-own' } } as FuzzRequest,
        exchange,
      )
      expect(verdict.problems, text.slice(0, 60)).toEqual([])
      expect(exchange.responses.map((r) => [r.status, errorCodeOf(r)])).toEqual([[status, code]])
    }
    expect(snapshots.take()).toBe(before)
    expect((await fetch(`${h.url}/health`)).status).toBe(200)
  })
})

/** A conversation of its own whose last message is the customer's, so that a draft can start. */
async function draftable(title: string): Promise<number> {
  const { id } = await h.core.api.createConversation({ title })
  await h.core.api.addCustomerMessage(id, 'Where is my parcel?')
  return id
}

const statusesAndCodes = (exchange: RawExchange): Array<[number, string | undefined]> => exchange.responses.map((r) => [r.status, errorCodeOf(r)])

/**
 * The request's own answer comes first. When the route answered before the parser reached the bad bytes, a 400
 * for those bytes may follow (true: they are not HTTP); otherwise that answer closes the connection itself.
 */
function expectOwnAnswerFirst(exchange: RawExchange, status: number): void {
  const [first, ...rest] = exchange.responses
  expect(first?.status).toBe(status)
  if (rest.length === 0) expect(first?.headers.connection).toBe('close')
  expect(rest.map((r) => [r.status, errorCodeOf(r)])).toEqual(rest.length === 0 ? [] : [[400, 'bad-request']])
  expect(exchange.closedByServer).toBe(true)
}

// Each finding of the fuzz (F1–F5, CONTRIBUTING.md "Fuzzing"), with the bytes that showed it. Each of these
// failed before its fix.
describe('findings', () => {
  it('F1: a request target that is not a path is a JSON 400, never a 500, and //host/path is not served as /path', async () => {
    for (const target of ['//[', '//[::1', '//evil.example/api/conversations', '//', '*']) {
      const exchange = await rawRequest(head([`GET ${target} HTTP/1.1`, host(), AUTH, 'Connection: close']))
      expect(statusesAndCodes(exchange), target).toEqual([[400, 'bad-request']])
    }
  })

  it('F1: an absolute-form target is served by its path, and its own host is the one checked, not the Host header', async () => {
    const port = h.core.server.port
    const own = await rawRequest(head([`GET http://127.0.0.1:${port}/api/conversations HTTP/1.1`, host(), AUTH, 'Connection: close']))
    expect(own.responses.map((r) => r.status)).toEqual([200])
    // RFC 9112, 3.2.2: the target's authority replaces Host; a loopback Host does not let another name through.
    const other = await rawRequest(head([`GET http://evil.example:${port}/api/conversations HTTP/1.1`, host(), AUTH, 'Connection: close']))
    expect(statusesAndCodes(other)).toEqual([[403, 'forbidden-host']])
  })

  it('F2: an HTTP/1.1 request without Host gets the JSON error shape', async () => {
    const exchange = await rawRequest(head(['GET /health HTTP/1.1', 'Connection: close']))
    expect(statusesAndCodes(exchange)).toEqual([[403, 'forbidden-host']])
    expect(exchange.responses[0]?.headers['content-type']).toMatch(/^application\/json/)
  })

  it('F3: a request followed by bytes that are not HTTP gets its own answer, then the connection closes', async () => {
    const id = await draftable('F3')
    const geminiBefore = h.emulator.requests.length
    const exchange = await rawRequest(
      head([`POST /api/conversations/${id}/draft HTTP/1.1`, host(), AUTH, 'Content-Type: application/json', 'Connection: close']) + '\u0000',
    )
    await quiesce()
    // The draft was carried out, and the answer says so: not a 400 claiming the request was not valid HTTP.
    expect(h.emulator.requests.length).toBeGreaterThan(geminiBefore)
    expectOwnAnswerFirst(exchange, 202)
  })

  it('F3: a Transfer-Encoding other than chunked is refused before the route runs', async () => {
    for (const coding of ['gzip', 'gzip, chunked', 'chunked, gzip', 'identity']) {
      const id = await draftable(`F3, Transfer-Encoding: ${coding}`)
      const before = snapshots.take()
      const geminiBefore = h.emulator.requests.length
      const exchange = await rawRequest(
        head([`POST /api/conversations/${id}/draft HTTP/1.1`, host(), AUTH, 'Content-Type: application/json', `Transfer-Encoding: ${coding}`]) +
          '4\r\ntrue\r\n0\r\n\r\n',
      )
      await quiesce()
      expect(statusesAndCodes(exchange), coding).toEqual([[400, 'bad-request']])
      expect(exchange.responses[0]?.headers.connection, coding).toBe('close')
      expect(h.emulator.requests.length, coding).toBe(geminiBefore)
      expect(snapshots.take(), coding).toBe(before)
    }
  })

  it('F3: a chunked body that breaks after dispatch: a route that reads it refuses it, one that does not answers for itself', async () => {
    const id = await draftable('F3, broken chunk')
    const title = h.core.store.getConversation(id)?.title
    const broken = '4\r\ntrue\r\nzz\r\n'
    const patch = await rawRequest(
      head([`PATCH /api/conversations/${id} HTTP/1.1`, host(), AUTH, 'Content-Type: application/json', 'Transfer-Encoding: chunked']) + broken,
    )
    expect(statusesAndCodes(patch)).toEqual([[400, 'bad-request']])
    expect(h.core.store.getConversation(id)?.title).toBe(title)
    const geminiBefore = h.emulator.requests.length
    const draft = await rawRequest(
      head([`POST /api/conversations/${id}/draft HTTP/1.1`, host(), AUTH, 'Content-Type: application/json', 'Transfer-Encoding: chunked']) + broken,
    )
    await quiesce()
    expect(h.emulator.requests.length).toBeGreaterThan(geminiBefore)
    expectOwnAnswerFirst(draft, 202)
  })

  it('F4: a refusal sent before the body arrived, with Connection: close, reaches the client (20 tries)', async () => {
    const body = Buffer.from(JSON.stringify({ message: 'y'.repeat(400_000) }))
    const cases: Array<[string, number, string]> = [
      ['GET / HTTP/1.1', 404, AUTH],
      ['POST /api/conversations HTTP/1.1', 401, 'Authorization: Bearer wrong-token-0123456789'],
      ['DELETE /health HTTP/1.1', 405, AUTH],
      // Not HTTP at all (a lowercase method): refused by the parser at once, while the body is still coming.
      ['get / HTTP/1.1', 400, AUTH],
    ]
    for (let attempt = 0; attempt < 20; attempt++) {
      const [line, status, auth] = cases[attempt % cases.length] as [string, number, string]
      const text = head([line, host(), auth, 'Content-Type: application/json', 'Connection: close', `Content-Length: ${body.length}`])
      // Two halves 1 ms apart: the refusal is written while the first half is still unread and the second coming.
      const exchange = await rawRequest(text, { body, pieces: 2, trickleMs: 1 })
      expect(
        exchange.responses.map((r) => r.status),
        `${line}, try ${attempt + 1}: ${exchange.error ?? ''}`,
      ).toEqual([status])
      expect(exchange.error, line).toBeUndefined()
    }
  })

  it('F5: a client that goes away mid-body is not logged as an unexpected error', async () => {
    const logged = captureUnexpectedErrors()
    try {
      const text = head(['POST /api/conversations HTTP/1.1', host(), AUTH, 'Content-Type: application/json', 'Content-Length: 1000'])
      // Half-closed after part of the body; then cut off entirely after part of the body.
      const halfClosed = await sendRaw({
        port: h.core.server.port,
        pieces: [Buffer.from(`${text}{"title":`)],
        halfClose: true,
        timeoutMs: ANSWER_DEADLINE_MS,
      })
      expect(statusesAndCodes(halfClosed).every(([status]) => status < 500)).toBe(true)
      const socket = connect({ port: h.core.server.port, host: '127.0.0.1' })
      await new Promise<void>((resolve) => socket.once('connect', resolve))
      socket.write(`${text}{"title":`)
      await new Promise((resolve) => setTimeout(resolve, 50))
      socket.destroy()
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect((await fetch(`${h.url}/health`)).status).toBe(200)
    } finally {
      logged.restore()
    }
    expect(Object.fromEntries(logged.counts)).toEqual({})
  })
})
