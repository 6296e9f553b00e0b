// Every way a Gemini draft can fail that the emulator can produce, before and after the first token, through the
// real SDK over real HTTP, by both ways a draft starts: the API (startDraft + onConversationEvents, as the console
// does) and GET /chat/stream (as an integration does). For each: the agent gets a clear error (a kind and a plain
// sentence, never the API key) or the right non-error end (truncated), retries happen only before the first token
// (counted at the emulator), partial text is kept and saved with the right status, and the core carries on (the next
// draft in the same conversation completes, /health answers). The cases run at once (the stalls after the rest, see
// IDLE_TIMEOUT_MS), each scripted by a marker in its customer message, so the suite takes about as long as its slowest
// case (a stall retried to exhaustion), not their sum. Prints a table of the faults survived.
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConversationEvent, SupportConsoleApi } from '../src/shared/api'
import type { DraftError, ErrorKind, Message } from '../src/shared/domain'
import type { FinalStatus } from '../src/shared/generation-events'
import type { Truncation, TruncationNotice } from '../src/shared/truncation'
import { RETRY_POLICY } from '../src/main/core/support-console'
import { GeminiEmulator, type Fault, type ScriptedReply } from './emulator/gemini-emulator'
import { startHarness, TEST_TOKEN, type Harness } from './helpers/core-harness'
import { isDone, openSse, replyText } from './helpers/sse-client'
import { waitFor } from './helpers/wait-for'
import { renderTable } from '../bench/table'

/** Distinctive, so that finding it anywhere an agent or a client could see is a real leak, not a coincidence. */
const SECRET_KEY = 'AIzaSy-faults-suite-secret-0123456789'
/**
 * The shortest idle timeout settings.json accepts: a stalled stream costs a second per attempt. Only the stall cases
 * run with it, on their own core and after the others: the emulator shares this process's event loop, and under the
 * burst of all other cases a request can wait longer than a second to be read, which would be taken for a stall.
 */
const IDLE_TIMEOUT_MS = 1_000
/** What Google's RetryInfo asks for in the 429 cases; the client must wait at least this long between attempts. */
const RETRY_DELAY_MS = 300
/** Marks the chunk whose event the relay (below) breaks: the emulator itself only sends well-formed JSON. */
const MALFORMED = '@@MALFORMED@@'

const PARTIAL = ['Thanks for waiting. ', 'Your parcel ']
const FULL = [...PARTIAL, 'left our depot today.']
const AWKWARD = ['Line one\u2028line two\u2029', 'para two ', 'and “quotes” 🙂.']

type Phase = 'before' | 'recovers' | 'after'
type Path = 'api' | 'sse'
const PHASES: Record<Phase, string> = {
  before: 'before 1st token',
  recovers: 'before, then recovers',
  after: 'after 1st token',
}

interface Expected {
  status: FinalStatus
  /** For 'error' and 'blocked'. */
  kind?: ErrorKind
  /** For 'truncated'. */
  truncation?: Truncation
  /** Saved and streamed. */
  text: string
  /** Requests the emulator answered for this draft: more than one only for a retry before the first token. */
  requests: number
  /** Checked when set. */
  finishReason?: string | null
  /** What the error's sentence must say, beyond being a plain sentence. */
  says?: RegExp
  /** Least gap between two attempts, when the server asked for one (429 RetryInfo). */
  minGapMs?: number
}

interface Case {
  mode: string
  phase: Phase
  /** The reply for each attempt (0 = the first request). */
  reply: (attempt: number) => ScriptedReply
  expected: Expected
  /** 'relayed': through the relay that breaks JSON (the malformed-chunk cases); 'stall': the short idle timeout. */
  core?: 'relayed' | 'stall'
}

const ok = (chunks: string[] = FULL): ScriptedReply => ({ chunks, delayMs: 5 })
const faulty = (fault: Fault, chunks: string[] = FULL): ScriptedReply => ({ chunks, delayMs: 5, fault })
const FULL_TEXT = FULL.join('')
const PARTIAL_TEXT = PARTIAL.join('')
/** What the agent is told when Gemini's body was not the SSE the SDK reads (a raw error line, broken JSON). */
const UNREADABLE = /could not be read/
/** Every attempt allowed: the first request and each retry. */
const ALL_ATTEMPTS = 1 + RETRY_POLICY.maxRetries

/**
 * A fault that stops the draft with an error kind. `retryable`: retried before the first token (so it fails after
 * every attempt, or recovers when only the first attempt fails); never after it. `after`: the same fault part-way,
 * or (for HTTP statuses, which can only come before any body) Google's raw `{"error":…}` line mid-stream.
 */
function errorCases(mode: string, before: Fault, kind: ErrorKind, retryable: boolean, after: Fault, afterKind: ErrorKind, says?: RegExp): Case[] {
  const core = before.type === 'stall' ? ('stall' as const) : undefined
  const minGapMs = before.type === 'http-error' && before.retryDelay ? RETRY_DELAY_MS : undefined
  const status: FinalStatus = kind === 'blocked' ? 'blocked' : 'error'
  const cases: Case[] = [
    {
      mode,
      phase: 'before',
      reply: () => faulty(before),
      expected: { status, kind, text: '', requests: retryable ? ALL_ATTEMPTS : 1, says, minGapMs },
    },
  ]
  if (retryable) {
    cases.push({
      mode,
      phase: 'recovers',
      reply: (attempt) => (attempt === 0 ? faulty(before) : ok()),
      expected: { status: 'complete', text: FULL_TEXT, requests: 2, finishReason: 'STOP', minGapMs },
    })
  }
  cases.push({
    mode,
    phase: 'after',
    reply: () => faulty(after),
    expected: {
      status: afterKind === 'blocked' ? 'blocked' : 'error',
      kind: afterKind,
      text: PARTIAL_TEXT,
      requests: 1,
      says: after.type === 'error-line' ? UNREADABLE : says,
    },
  })
  return cases.map((c) => ({ ...c, core }))
}

/** A stream that ends without an error but is not a whole reply (or, for STOP with awkward text, is one). */
function endCases(mode: string, finishReason: string | null, status: FinalStatus, truncation?: Truncation): Case[] {
  const before = status === 'complete' ? AWKWARD : []
  const after = status === 'complete' ? [...PARTIAL, ...AWKWARD] : PARTIAL
  const expected = (chunks: string[]): Expected => ({ status, truncation, text: chunks.join(''), requests: 1, finishReason })
  return [
    { mode, phase: 'before', reply: () => ({ chunks: before, delayMs: 5, finishReason }), expected: expected(before) },
    { mode, phase: 'after', reply: () => ({ chunks: after, delayMs: 5, finishReason }), expected: expected(after) },
  ]
}

const midStreamLine = (status: number): Fault => ({ type: 'error-line', afterChunks: PARTIAL.length, status })

const MODES: Case[] = [
  ...errorCases(
    '429 + RetryInfo',
    { type: 'http-error', status: 429, retryDelay: '0.3s' },
    'quota',
    true,
    midStreamLine(429),
    'network',
    /usage limit/,
  ),
  ...errorCases('500', { type: 'http-error', status: 500 }, 'overloaded', true, midStreamLine(500), 'network', /internal error/),
  ...errorCases('503', { type: 'http-error', status: 503 }, 'overloaded', true, midStreamLine(503), 'network', /overloaded/),
  ...errorCases('504', { type: 'http-error', status: 504 }, 'timeout', true, midStreamLine(504), 'network', /too long/),
  ...errorCases(
    '400 API_KEY_INVALID',
    { type: 'http-error', status: 400, reason: 'API_KEY_INVALID', message: `API key not valid: ${SECRET_KEY}` },
    'auth',
    false,
    midStreamLine(400),
    'network',
    /did not accept the API key/,
  ),
  ...errorCases('403', { type: 'http-error', status: 403 }, 'auth', false, midStreamLine(403), 'network', /permission denied/),
  ...errorCases(
    '404 model',
    { type: 'http-error', status: 404, message: 'models/gemini-2.5-flash is not found for API version v1beta' },
    'invalid-input',
    false,
    midStreamLine(404),
    'network',
    /no model named/,
  ),
  ...errorCases(
    'connection drop',
    { type: 'drop', afterChunks: 0 },
    'network',
    true,
    { type: 'drop', afterChunks: PARTIAL.length },
    'network',
    /connection|reach/,
  ),
  ...errorCases(
    'stall (idle timeout)',
    { type: 'stall', afterChunks: 0 },
    'timeout',
    true,
    { type: 'stall', afterChunks: PARTIAL.length },
    'timeout',
    /sent nothing/,
  ),
  ...errorCases('raw {"error":…} line', { type: 'error-line', afterChunks: 0 }, 'network', true, midStreamLine(500), 'network', UNREADABLE),
  {
    mode: 'blocked prompt (promptFeedback)',
    phase: 'before',
    reply: () => faulty({ type: 'blocked-prompt', blockReason: 'SAFETY' }),
    expected: { status: 'blocked', kind: 'blocked', text: '', requests: 1, says: /declined to answer.*SAFETY/ },
  },
  ...errorCases(
    'SAFETY part-way',
    { type: 'finish-reason', afterChunks: 0, finishReason: 'SAFETY' },
    'blocked',
    false,
    { type: 'finish-reason', afterChunks: PARTIAL.length, finishReason: 'SAFETY' },
    'blocked',
    /safety reasons/,
  ),
  ...endCases('MAX_TOKENS', 'MAX_TOKENS', 'truncated', 'length'),
  ...endCases('no finish reason', null, 'truncated', 'ended-early'),
  ...endCases('OTHER', 'OTHER', 'truncated', 'other'),
  ...endCases('U+2028/U+2029 in text', 'STOP', 'complete'),
  ...[
    {
      phase: 'before' as const,
      reply: () => ok([MALFORMED, ...FULL]),
      expected: { status: 'error' as const, kind: 'network' as const, text: '', requests: ALL_ATTEMPTS },
    },
    {
      phase: 'recovers' as const,
      reply: (attempt: number) => (attempt === 0 ? ok([MALFORMED, ...FULL]) : ok()),
      expected: { status: 'complete' as const, text: FULL_TEXT, requests: 2 },
    },
    {
      phase: 'after' as const,
      reply: () => ok([...PARTIAL, MALFORMED, 'never shown']),
      expected: { status: 'error' as const, kind: 'network' as const, text: PARTIAL_TEXT, requests: 1 },
    },
  ].map((c): Case => ({
    mode: 'malformed JSON chunk',
    core: 'relayed',
    ...c,
    expected: { ...c.expected, says: c.expected.kind ? UNREADABLE : undefined },
  })),
]

interface Outcome {
  status: string | undefined
  finishReason: string | null | undefined
  error: DraftError | null
  truncation: TruncationNotice | null
  /** As the client received it. */
  text: string
  saved: Message | undefined
  /** Everything the client received, to look for the key in. */
  seen: string
  /** The next draft in the same conversation, after the fault. */
  next: { status: string | undefined; text: string }
}

const label = (c: Case, path: Path): string => `${c.mode} / ${PHASES[c.phase]} / ${path}`
const marker = (c: Case, path: Path): string => `[fault:${label(c, path)}]`

/** Scripts the emulator by the marker in the last customer message: each case's attempts, and the follow-up drafts. */
class Router {
  readonly attempts = new Map<string, number[]>()
  private readonly cases = new Map<string, Case>()

  constructor(emulator: GeminiEmulator) {
    emulator.setDefaultReply(({ lastUserText }) => {
      // Consecutive customer messages may be sent as one turn: the follow-up's marker wins.
      if (lastUserText.includes('[next:')) return ok(['All ', 'good ', 'now.'])
      const key = /\[fault:[^\]]+\]/.exec(lastUserText)?.[0]
      const c = key === undefined ? undefined : this.cases.get(key)
      if (!key || !c) return ok(['(unscripted)'])
      const times = this.attempts.get(key) ?? []
      times.push(performance.now())
      this.attempts.set(key, times)
      return c.reply(times.length - 1)
    })
  }

  add(c: Case, path: Path): string {
    const key = marker(c, path)
    this.cases.set(key, c)
    return key
  }
}

/** Follows a conversation through the API until the next draft's end. */
function nextEnd(api: SupportConsoleApi, conversationId: number): Promise<ConversationEvent[]> {
  const events: ConversationEvent[] = []
  return new Promise((resolve) => {
    const unsubscribe = api.onConversationEvents(conversationId, (e) => {
      events.push(e)
      if (e.event.type === 'end') {
        unsubscribe()
        resolve(events)
      }
    })
  })
}

const deltas = (events: ConversationEvent[]): string => events.map((e) => (e.event.type === 'delta' ? e.event.text : '')).join('')

async function viaApi(h: Harness, customerMessage: string): Promise<Outcome> {
  const api = h.core.api
  const { id } = await api.createConversation({})
  await api.addCustomerMessage(id, customerMessage)
  const followed = nextEnd(api, id)
  const { messageId } = await api.startDraft(id)
  const events = await followed
  const end = events.at(-1)?.event
  if (end?.type !== 'end') throw new Error('no end event')
  const saved = (await api.getConversation(id)).messages.find((m) => m.id === messageId)

  await api.addCustomerMessage(id, `[next:${customerMessage}]`)
  const nextFollowed = nextEnd(api, id)
  await api.startDraft(id)
  const nextEvents = await nextFollowed
  const nextEndEvent = nextEvents.at(-1)?.event
  return {
    status: end.status,
    finishReason: end.finishReason,
    error: end.error,
    truncation: end.truncation ?? null,
    text: deltas(events),
    saved,
    seen: JSON.stringify(events),
    next: { status: nextEndEvent?.type === 'end' ? nextEndEvent.status : undefined, text: deltas(nextEvents) },
  }
}

async function viaSse(h: Harness, customerMessage: string): Promise<Outcome> {
  const stream = await openSse(h.authed(`/chat/stream?message=${encodeURIComponent(customerMessage)}`))
  if (stream.response.status !== 200) throw new Error(`/chat/stream answered ${stream.response.status}`)
  const events = await stream.readUntil(isDone)
  const data = (name: string): Record<string, unknown> | undefined => {
    const found = events.find((e) => e.event === name)
    return found ? (JSON.parse(found.data) as Record<string, unknown>) : undefined
  }
  const meta = data('meta') as { conversationId: number; messageId: number }
  const end = data('end') ?? {}
  const saved = (await h.core.api.getConversation(meta.conversationId)).messages.find((m) => m.id === meta.messageId)

  const next = await openSse(
    h.authed(`/chat/stream?conversation_id=${meta.conversationId}&message=${encodeURIComponent(`[next:${customerMessage}]`)}`),
  )
  const nextEvents = await next.readUntil(isDone)
  const nextEnd = nextEvents.find((e) => e.event === 'end')
  return {
    status: end.status as string | undefined,
    finishReason: end.finishReason as string | null | undefined,
    error: (data('error') as DraftError | undefined) ?? null,
    truncation: (end.truncation as TruncationNotice | undefined) ?? null,
    text: replyText(events),
    saved,
    seen: stream.raw,
    next: {
      status: nextEnd ? (JSON.parse(nextEnd.data) as { status: string }).status : undefined,
      text: replyText(nextEvents),
    },
  }
}

/** A plain sentence for an agent: no URL, no JSON, no SDK prefix, no stack, no key. */
const PLAIN_SENTENCE = /^[A-Z][^\n{}[\]]{10,300}[.)]$/

/** What is wrong with a case's outcome; nothing when it survived. */
function problemsOf(c: Case, outcome: Outcome, attempts: number[]): string[] {
  const { expected } = c
  const problems: string[] = []
  const check = (ok: boolean, what: string): void => void (ok || problems.push(what))
  check(outcome.status === expected.status, `status ${outcome.status}, expected ${expected.status}`)
  check(outcome.text === expected.text, `streamed text ${JSON.stringify(outcome.text)}, expected ${JSON.stringify(expected.text)}`)
  check(outcome.saved?.status === expected.status, `saved status ${outcome.saved?.status}`)
  check(outcome.saved?.text === expected.text, `saved text ${JSON.stringify(outcome.saved?.text)}`)
  check(attempts.length === expected.requests, `${attempts.length} request(s) to Gemini, expected ${expected.requests}`)
  if (expected.finishReason !== undefined) check(outcome.finishReason === expected.finishReason, `finishReason ${outcome.finishReason}`)
  const { minGapMs } = expected
  if (minGapMs !== undefined) {
    const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] as number))
    // 5 ms of slack: timers and performance.now() differ by less than that.
    check(
      gaps.every((g) => g >= minGapMs - 5),
      `retried after ${gaps.map(Math.round).join(', ')} ms, sooner than the ${minGapMs} ms Gemini asked for`,
    )
  }
  if (expected.kind) {
    const { error } = outcome
    check(error?.kind === expected.kind, `error kind ${error?.kind}, expected ${expected.kind}`)
    check(
      PLAIN_SENTENCE.test(error?.message ?? '') && !/https?:|GoogleGenerativeAI|\bError:/.test(error?.message ?? ''),
      `not a plain sentence: ${error?.message}`,
    )
    if (expected.says) check(expected.says.test(error?.message ?? ''), `the error does not say ${expected.says}: ${error?.message}`)
    check(
      outcome.saved?.errorKind === expected.kind && outcome.saved.errorMessage === error?.message,
      `saved error ${outcome.saved?.errorKind}: ${outcome.saved?.errorMessage}`,
    )
  } else {
    check(outcome.error === null, `unexpected error ${JSON.stringify(outcome.error)}`)
    check(outcome.saved?.errorKind === null, `saved error kind ${outcome.saved?.errorKind}`)
  }
  if (expected.truncation) {
    check(outcome.truncation?.reason === expected.truncation, `truncation ${JSON.stringify(outcome.truncation)}, expected ${expected.truncation}`)
    check(PLAIN_SENTENCE.test(outcome.truncation?.message ?? ''), `truncation notice not a plain sentence: ${outcome.truncation?.message}`)
  } else {
    check(outcome.truncation === null, `unexpected truncation ${JSON.stringify(outcome.truncation)}`)
  }
  check(!outcome.seen.includes(SECRET_KEY) && !JSON.stringify(outcome.saved).includes(SECRET_KEY), 'the API key reached the client or the transcript')
  check(
    outcome.next.status === 'complete' && outcome.next.text === 'All good now.',
    `the next draft: ${outcome.next.status} ${JSON.stringify(outcome.next.text)}`,
  )
  return problems
}

/**
 * A byte-for-byte relay to the emulator that cuts short the JSON of any event carrying MALFORMED, as a broken proxy
 * or a corrupted chunk would. Everything else (statuses, headers, other events, the end of the body) passes as is.
 */
async function startBreakingRelay(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.setEncoding('utf8')
      let pending = ''
      answer.on('data', (text: string) => {
        pending += text
        const events = pending.split('\r\n\r\n')
        pending = events.pop() ?? ''
        for (const e of events) res.write(`${e.includes(MALFORMED) ? e.slice(0, e.indexOf(MALFORMED)) : e}\r\n\r\n`)
      })
      answer.on('end', () => res.end(pending))
      answer.on('error', () => res.destroy())
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
    res.on('close', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

interface Result {
  c: Case
  path: Path
  outcome: Outcome | undefined
  attempts: number[]
  problems: string[]
}

const PATHS: Path[] = ['api', 'sse']
const results: Result[] = []
let emulator: GeminiEmulator
let relay: Awaited<ReturnType<typeof startBreakingRelay>>
let direct: Harness
let relayed: Harness
let stalling: Harness

describe('Gemini faults, before and after the first token, through the API and /chat/stream', () => {
  beforeAll(async () => {
    emulator = await GeminiEmulator.start({ apiKey: SECRET_KEY })
    relay = await startBreakingRelay(emulator.url)
    const options = { emulator, env: { GEMINI_API_KEY: SECRET_KEY } }
    direct = await startHarness(options)
    relayed = await startHarness({ ...options, env: { ...options.env, GEMINI_BASE_URL: relay.url } })
    stalling = await startHarness({ ...options, settings: { idleTimeoutMs: IDLE_TIMEOUT_MS } })
    const router = new Router(emulator)
    const run = (cases: Case[]): Promise<void[]> =>
      Promise.all(
        cases.flatMap((c) =>
          PATHS.map(async (path) => {
            const key = router.add(c, path)
            const h = c.core === 'relayed' ? relayed : c.core === 'stall' ? stalling : direct
            const result: Result = { c, path, outcome: undefined, attempts: [], problems: [] }
            results.push(result)
            try {
              const message = `Where is my parcel? ${key}`
              result.outcome = await (path === 'api' ? viaApi(h, message) : viaSse(h, message))
              result.attempts = router.attempts.get(key) ?? []
              result.problems = problemsOf(c, result.outcome, result.attempts)
            } catch (error) {
              result.problems = [`did not finish: ${error instanceof Error ? error.message : String(error)}`]
            }
          }),
        ),
      )
    await run(MODES.filter((c) => c.core !== 'stall'))
    await run(MODES.filter((c) => c.core === 'stall'))
  }, 60_000)

  afterAll(async () => {
    printTable()
    await direct?.close()
    await relayed?.close()
    await stalling?.close()
    await relay?.close()
    await emulator?.close()
  })

  it.each(MODES.flatMap((c) => PATHS.map((path) => [label(c, path), c, path] as const)))('%s', (_name, c, path) => {
    const result = results.find((r) => r.c === c && r.path === path)
    expect(result?.problems).toEqual([])
  })

  it('leaves every core serving, with no draft or Gemini request left open', async () => {
    for (const h of [direct, relayed, stalling]) {
      const health = await fetch(`${h.url}/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok' })
      expect(h.core.hub.liveCount).toBe(0)
      expect(h.core.server.openStreams).toBe(0)
    }
    await waitFor(() => emulator.openStreams === 0, 'every request to Gemini to be closed')
    // And the token still guards it: a fault did not leave anything open to anyone.
    expect((await fetch(`${direct.url}/api/conversations`)).status).toBe(401)
    expect((await fetch(`${direct.url}/api/conversations?token=${TEST_TOKEN}`)).status).toBe(200)
  })
})

/** One row per failure mode, a column per phase and path: what happened, how many requests, and whether it survived. */
function printTable(): void {
  const modes = [...new Set(MODES.map((c) => c.mode))]
  const columns = (Object.keys(PHASES) as Phase[]).flatMap((phase) => PATHS.map((path) => ({ phase, path })))
  const cell = (mode: string, phase: Phase, path: Path): string => {
    const r = results.find((x) => x.c.mode === mode && x.c.phase === phase && x.path === path)
    if (!r) return 'n/a'
    const o = r.outcome
    const what = o?.error ? `${o.status}/${o.error.kind}` : o?.truncation ? `truncated/${o.truncation.reason}` : (o?.status ?? 'no end')
    return `${r.problems.length === 0 ? '✓' : '✗'} ${what} ×${r.attempts.length}`
  }
  const survived = results.filter((r) => r.problems.length === 0).length
  console.log(
    [
      `Gemini faults survived (✓), by mode × phase × path; "×n" is requests to Gemini (retries only before the first token):`,
      renderTable(
        [{ header: 'mode' }, ...columns.map(({ phase, path }) => ({ header: `${PHASES[phase]} · ${path}` }))],
        modes.map((mode) => [mode, ...columns.map(({ phase, path }) => cell(mode, phase, path))]),
      ),
      `${survived} of ${results.length} fault cases survived (${modes.length} modes).`,
      'n/a: only retryable faults are retried, and a blocked prompt has no "after". An HTTP status comes before any body, so its',
      '"after" is Google\'s raw {"error":…} line with that code mid-stream, which the SDK cannot read (network, not retried).',
      ...results.filter((r) => r.problems.length > 0).map((r) => `✗ ${label(r.c, r.path)}: ${r.problems.join('; ')}`),
    ].join('\n'),
  )
}
