// The clients: N concurrent streams, each its own HTTP request and its own generation, read by a parser
// that does as little as possible (find lines, find stamps), so that at 40,000 chunks a second the
// measuring side stays cheap. Two targets with the same parser:
//   relay  — GET /chat/stream?message=… on the Support Console core (which calls the emulator via the SDK)
//   direct — POST :streamGenerateContent?alt=sse on the emulator itself: the floor the relay is compared with.
//   plain  — GET /chat/stream?message=… on a relay that sends `data:` lines and `data: [DONE]` (the seed's design
//            on gunicorn, the minimal SDK relay; bench/compare.ts).
import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http'
import { STAMP_CLOSE, STAMP_OPEN } from '../test/emulator/gemini-emulator'
import { sharedClockMs } from './clock'
import { BENCH_API_KEY, BENCH_MODEL, CUSTOMER_MESSAGE } from './reply-script'
import { Samples } from './stats'

export type PathKind = 'relay' | 'direct' | 'plain'

export interface LoadTarget {
  kind: PathKind
  url: URL
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body: string | undefined
  /** A cheap GET on the same server, used to open keep-alive connections before a warm round. */
  warmUrl: URL
}

/**
 * warm: each round's connections are open (keep-alive) before its requests go out, so first-event times are
 * the server's, not TCP's. cold: every request connects at the same moment, as that many EventSources would;
 * a burst beyond the server's listen queue then costs some clients SYN retries (1 s, 3 s, 7 s).
 */
export type Connections = 'warm' | 'cold'

export function relayTarget(coreUrl: string, token: string): LoadTarget {
  const url = new URL('/chat/stream', coreUrl)
  url.searchParams.set('message', CUSTOMER_MESSAGE)
  url.searchParams.set('source', 'bench')
  url.searchParams.set('token', token)
  return { kind: 'relay', url, method: 'GET', headers: { accept: 'text/event-stream' }, body: undefined, warmUrl: new URL('/health', coreUrl) }
}

export function plainTarget(relayUrl: string): LoadTarget {
  const url = new URL('/chat/stream', relayUrl)
  url.searchParams.set('message', CUSTOMER_MESSAGE)
  return { kind: 'plain', url, method: 'GET', headers: { accept: 'text/event-stream' }, body: undefined, warmUrl: new URL('/health', relayUrl) }
}

export function directTarget(emulatorUrl: string): LoadTarget {
  const url = new URL(`/v1beta/models/${BENCH_MODEL}:streamGenerateContent?alt=sse`, emulatorUrl)
  // What the SDK would send, minus the system instruction the relay adds (the emulator ignores both).
  const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: CUSTOMER_MESSAGE }] }], generationConfig: {}, safetySettings: [] })
  return {
    kind: 'direct',
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': BENCH_API_KEY, 'content-length': String(Buffer.byteLength(body)) },
    body,
    // Any path answers at once (a 404 for this one) on a connection that stays open.
    warmUrl: new URL('/', emulatorUrl),
  }
}

export interface PhaseOptions {
  concurrency: number
  /** Rounds run one after the other; each starts `concurrency` streams at once and waits for all of them. */
  rounds: number
  /** Streams still open this long after the phase began are cut and counted as timed out. */
  timeLimitMs: number
  /** Emulator clock minus our clock (see clock.ts). */
  clockOffsetMs: number
  /** Text chunks a complete reply has. */
  expectedChunks: number
  connections: Connections
}

export interface PhaseResult {
  streams: number
  completed: number
  /** Why streams did not complete, with counts. */
  failures: Map<string, number>
  /** Per text chunk: received here minus written by the emulator. */
  chunkLatencyMs: Samples
  /**
   * Per stream: request sent → first `data:` line of any kind (relay: Support Console's `meta`, sent before Gemini is
   * called; direct and plain: the first chunk, they send nothing earlier). Not comparable across kinds: use firstTextMs.
   */
  firstEventMs: Samples
  /** Per stream: request sent → first `data:` line carrying a reply chunk (a stamp); the same point for every kind. */
  firstTextMs: Samples
  textChunks: number
  /** Most streams between their first and last chunk at the same moment. */
  peakStreaming: number
  wallMs: number
}

interface PhaseState {
  options: PhaseOptions
  result: PhaseResult
  inFlight: Set<ClientRequest>
  streaming: number
  /** Set when the time limit cut the phase: whatever error the cut streams then report, they timed out. */
  timedOut: boolean
}

export async function runPhase(target: LoadTarget, options: PhaseOptions): Promise<PhaseResult> {
  const result: PhaseResult = {
    streams: 0,
    completed: 0,
    failures: new Map(),
    chunkLatencyMs: new Samples(options.concurrency * options.rounds * options.expectedChunks),
    firstEventMs: new Samples(),
    firstTextMs: new Samples(),
    textChunks: 0,
    peakStreaming: 0,
    wallMs: 0,
  }
  const state: PhaseState = { options, result, inFlight: new Set(), streaming: 0, timedOut: false }
  // Keep-alive, so the sequential rounds at concurrency 1 reuse one socket like a real integration would;
  // no socket limit, so 1,000 streams are 1,000 connections. One agent per phase, destroyed after it.
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: options.concurrency })
  const deadline = setTimeout(() => {
    state.timedOut = true
    for (const req of state.inFlight) req.destroy(new Error('timeout'))
  }, options.timeLimitMs)
  const started = performance.now()
  try {
    for (let round = 0; round < options.rounds && performance.now() - started < options.timeLimitMs; round++) {
      if (options.connections === 'warm') await openConnections(target, agent, options.concurrency)
      const streams: Promise<void>[] = []
      for (let i = 0; i < options.concurrency; i++) streams.push(openStream(target, agent, state))
      await Promise.all(streams)
    }
  } finally {
    clearTimeout(deadline)
    result.wallMs = performance.now() - started
    agent.destroy()
  }
  return result
}

/**
 * Leaves `count` idle keep-alive sockets in the agent. Each response is left unread until all have arrived,
 * because a read response frees its socket and the next request would take that one instead of opening
 * another. In batches, so this unmeasured step cannot itself overflow the server's listen queue.
 */
async function openConnections(target: LoadTarget, agent: Agent, count: number): Promise<void> {
  const batch = 100
  const held: IncomingMessage[] = []
  for (let opened = 0; opened < count; opened += batch) {
    const responses: Promise<IncomingMessage>[] = []
    for (let i = opened; i < Math.min(count, opened + batch); i++) {
      responses.push(
        new Promise((resolve, reject) => {
          const req = request(target.warmUrl, { agent }, resolve)
          // Not covered by the phase's time limit (not a stream): bounded here, failing the run loudly.
          req.setTimeout(15_000, () => req.destroy(new Error(`opening ${count} connections to ${target.warmUrl.host} timed out`)))
          req.on('error', reject)
          req.end()
        }),
      )
    }
    held.push(...(await Promise.all(responses)))
  }
  await Promise.all(
    held.map(
      (res) =>
        new Promise<void>((resolve, reject) => {
          res.on('end', resolve)
          res.on('error', reject)
          res.resume()
        }),
    ),
  )
}

function fail(result: PhaseResult, reason: string): void {
  result.failures.set(reason, (result.failures.get(reason) ?? 0) + 1)
}

/** One stream, start to end. Never rejects: every outcome is counted in the phase result. */
function openStream(target: LoadTarget, agent: Agent, state: PhaseState): Promise<void> {
  const { result, options } = state
  const offset = options.clockOffsetMs
  result.streams++
  return new Promise((resolve) => {
    const sentAt = sharedClockMs()
    let firstEventAt = Number.NaN
    let chunks = 0
    let sawDone = false
    let endStatus: string | undefined
    let expectEndData = false
    let sawErrorEvent = false
    let settled = false

    const settle = (failure: string | undefined): void => {
      if (settled) return
      settled = true
      state.inFlight.delete(req)
      if (chunks > 0) state.streaming--
      if (failure) fail(result, state.timedOut ? 'timeout' : failure)
      else result.completed++
      resolve()
    }

    // One line of the stream, without its line ending. `now` is when the bytes holding it arrived.
    const onLine = (line: string, now: number): void => {
      if (line.startsWith('data:')) {
        if (Number.isNaN(firstEventAt)) {
          firstEventAt = now
          result.firstEventMs.add(now - sentAt)
        }
        if (expectEndData) {
          expectEndData = false
          endStatus = /"status":"([a-z]+)"/.exec(line)?.[1] ?? 'unreadable'
          return
        }
        if (line === 'data: [DONE]') {
          sawDone = true
          return
        }
        // A relay that merged chunks would put several stamps on one line: each counts.
        for (let at = line.indexOf(STAMP_OPEN); at >= 0; at = line.indexOf(STAMP_OPEN, at + 1)) {
          const close = line.indexOf(STAMP_CLOSE, at)
          if (close < 0) break
          const sentByEmulator = Number(line.slice(at + STAMP_OPEN.length, close)) - offset
          result.chunkLatencyMs.add(now - sentByEmulator)
          result.textChunks++
          if (chunks++ === 0) {
            result.firstTextMs.add(now - sentAt)
            state.streaming++
            if (state.streaming > result.peakStreaming) result.peakStreaming = state.streaming
          }
        }
      } else if (line === 'event: end') {
        expectEndData = true
      } else if (line === 'event: error') {
        sawErrorEvent = true
      }
    }

    const req = request(target.url, { method: target.method, headers: target.headers, agent })
    state.inFlight.add(req)
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        settle(`HTTP ${res.statusCode}`)
        return
      }
      // The decoder keeps a multi-byte character (the stamp brackets are three bytes) split across reads whole.
      res.setEncoding('utf8')
      let buffer = ''
      res.on('data', (text: string) => {
        const now = sharedClockMs()
        buffer += text
        let start = 0
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', start)) {
          // Gemini ends lines with CRLF, the relay with LF.
          const end = nl > start && buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl
          if (end > start) onLine(buffer.slice(start, end), now)
          start = nl + 1
        }
        buffer = start === 0 ? buffer : buffer.slice(start)
      })
      res.on('end', () => {
        if (chunks !== options.expectedChunks) return settle(`incomplete (${chunks}/${options.expectedChunks} chunks)`)
        if (target.kind === 'relay') {
          if (sawErrorEvent) return settle('error event')
          if (endStatus !== 'complete') return settle(`ended ${endStatus ?? 'without end event'}`)
          if (!sawDone) return settle('no [DONE]')
        }
        if (target.kind === 'plain' && !sawDone) return settle('no [DONE]')
        settle(undefined)
      })
      res.on('error', (error: NodeJS.ErrnoException) => settle(`response ${error.code ?? error.message}`))
      res.on('aborted', () => settle('aborted'))
    })
    req.on('error', (error: NodeJS.ErrnoException) => settle(`request ${error.code ?? error.message}`))
    req.end(target.body)
  })
}
