// The local HTTP server: SSE streaming for integrations, the JSON API (the renderer-facing API as REST), and in
// web mode the built console itself.
// node:http directly: the SDK's stream path is already the expensive part of the relay (bench/compare.ts measures it).
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo } from 'node:net'
import type { ApiService } from '../api/api-service'
import { identify, type Credentials } from './access'
import { checkHost, corsHeaders, isForeignOrigin, requestTarget } from './guards'
import { knownApiError } from '../api/api-errors'
import { HttpError, httpErrorOf, sendError } from './http-errors'
import { handleApi } from './api-routes'
import { checkFraming, ClientGone, DRAIN_MAX_BYTES, drainBody, failBody, hasBody } from './request-body'
import { isOpenAiPath, sendOpenAiError } from './openai/errors'
import { TURN_BUDGET_MS, TurnBudget } from '../streaming/turn-budget'
import { KeyRateLimits } from './rate-limits'
import { handleDeclared, handlePublic } from './server-route-handlers'
import { matchServerRoute } from './server-routes'
import type { RouteContext } from './route-context'
import type { SseOptions } from './sse-connection'
import { WebConsoleFiles } from './static-files'

export interface LocalServerSettings {
  host: string
  port: number
  token: string
  allowedOrigins: string[]
  maxConcurrentStreams: number
}

export interface LocalServerDeps {
  /** The server's only way into the core: the same service the desktop app reaches over IPC. */
  api: ApiService
  /** Read on every request, so changed settings (allowed origins) apply at once. */
  settings: () => LocalServerSettings
  sse?: Partial<SseOptions>
  limits?: Partial<ServerLimits>
  /** The built web console to serve at `/`; without it the server is API-only. */
  webConsoleDir?: string
}

export const MAX_HEADER_BYTES = 64 * 1024

export const DEFAULT_SSE_OPTIONS: SseOptions = { heartbeatMs: 15_000, retryMs: 2_000, maxBufferedBytes: 4 * 1024 * 1024 }

/**
 * How long a client may take to send its request, and how many connections it may hold. None of them cuts a
 * long response: in Node, headersTimeout and requestTimeout cover receiving the request only (an SSE stream
 * runs for as long as its reply once the request is in; the local-server tests check this), and the body-idle
 * limit is lifted once the body has been read.
 */
export interface ServerLimits {
  /** From connecting to the end of the request headers. */
  headersTimeoutMs: number
  /** From connecting to the end of the request body: bounds a client that trickles an endless body. */
  requestTimeoutMs: number
  /** The longest pause allowed while a request body is still arriving: bounds a client that stalls mid-body. */
  bodyIdleTimeoutMs: number
  /** How often Node checks the two timeouts above; a late client is cut within this after its limit. */
  connectionsCheckingIntervalMs: number
  /** Connections beyond the stream limit, for JSON calls and idle keep-alive sockets; further ones are refused. */
  connectionHeadroom: number
  /** At most this much request handling per turn of the event loop (streaming/turn-budget.ts). */
  requestTurnBudgetMs: number
}

/** Request headers are small; a client that has not sent them in this time is not a real one. */
export const HEADERS_TIMEOUT_MS = 20_000
/** The largest body (a long message as JSON) takes well under a second on loopback; a minute is generous. */
export const REQUEST_TIMEOUT_MS = 60_000
/** A body that stops arriving for this long is not coming. */
export const BODY_IDLE_TIMEOUT_MS = 15_000
/** Node's default is 30 s, which would let a client overstay its limit by as much. */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 2_000
/** server.maxConnections is maxConcurrentStreams plus this, so streams at their limit leave room for JSON calls. */
export const CONNECTION_HEADROOM = 256

export const DEFAULT_LIMITS: ServerLimits = {
  headersTimeoutMs: HEADERS_TIMEOUT_MS,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  bodyIdleTimeoutMs: BODY_IDLE_TIMEOUT_MS,
  connectionsCheckingIntervalMs: CONNECTIONS_CHECKING_INTERVAL_MS,
  connectionHeadroom: CONNECTION_HEADROOM,
  requestTurnBudgetMs: TURN_BUDGET_MS,
}

export class LocalServer {
  private readonly streams = { open: 0 }
  private readonly rateLimits = new KeyRateLimits()
  private ownOrigins: string[] = []
  /** Requests are handled in turns of at most this long (streaming/turn-budget.ts says why). */
  private readonly turns: TurnBudget

  private constructor(
    private readonly server: Server,
    private readonly deps: LocalServerDeps,
    private readonly sseOptions: SseOptions,
    private readonly limits: ServerLimits,
    private readonly webConsole: WebConsoleFiles | undefined,
  ) {
    this.turns = new TurnBudget(limits.requestTurnBudgetMs, 'server')
  }

  static async start(deps: LocalServerDeps): Promise<LocalServer> {
    const webConsole = deps.webConsoleDir === undefined ? undefined : WebConsoleFiles.open(deps.webConsoleDir)
    const limits = { ...DEFAULT_LIMITS, ...deps.limits }
    const server = createServer({
      // A GET /chat/stream URL may carry a long message; past this, integrations should POST.
      maxHeaderSize: MAX_HEADER_BYTES,
      // Node's own refusal of an HTTP/1.1 request without Host is a bare 400; checkHost refuses it as JSON instead.
      requireHostHeader: false,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    })
    const local = new LocalServer(server, deps, { ...DEFAULT_SSE_OPTIONS, ...deps.sse }, limits, webConsole)
    server.on('request', (request, response) => {
      local.limitBodyIdle(request)
      local.turns.run(() => void local.handle(request, response))
    })
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(error, socket, limits.bodyIdleTimeoutMs))
    server.keepAliveTimeout = 5_000
    const { host, port, maxConcurrentStreams } = deps.settings()
    server.maxConnections = maxConcurrentStreams + limits.connectionHeadroom
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`Port ${port} on ${host} is already in use. Set SUPPORT_CONSOLE_PORT to another port (0 picks a free one).`, { cause: error })
            : error,
        )
      })
      // A burst of EventSources connecting at once would overflow Node's default queue of 511 (SYN retries cost 1 s each).
      server.listen({ port, host, backlog: 4096 }, () => resolve())
    })
    const bound = (server.address() as AddressInfo).port
    // The web console's own requests carry these origins (browsers send Origin on same-origin POST, PATCH, DELETE).
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host.toLowerCase()])
    local.ownOrigins = [...names].map((name) => `http://${name}:${bound}`)
    return local
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port
  }

  get url(): string {
    const { host } = this.deps.settings()
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}`
  }

  get openStreams(): number {
    return this.streams.open
  }

  /** Stops accepting, ends open streams and resolves once every connection is gone. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    await closed
  }

  /**
   * Cuts a connection whose request body stops arriving. Unread bodies count too: after an early answer (a 401)
   * Node reads and drops the rest of the body to keep the connection, and would wait on a stalled one forever.
   */
  private limitBodyIdle(request: IncomingMessage): void {
    if (!hasBody(request) || request.complete) return
    const { socket } = request
    const cut = (): void => {
      socket.destroy()
    }
    socket.setTimeout(this.limits.bodyIdleTimeoutMs, cut)
    // Once the body is in, the response may be a long, quiet stream: the limit no longer applies.
    request.once('end', () => {
      socket.setTimeout(0)
      socket.off('timeout', cut)
    })
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let cors: Record<string, string> = {}
    // The OpenAI-compatible routes answer every refusal in OpenAI's shape, so OpenAI clients raise it as theirs.
    let send = sendError
    try {
      const settings = this.deps.settings()
      const { url, authority } = requestTarget(request)
      if (isOpenAiPath(url.pathname)) send = sendOpenAiError
      checkFraming(request)
      checkHost(request, settings.host, authority)
      // Routes other than the JSON API's are declared in server-routes.ts; /health among them needs no credential.
      const match = matchServerRoute(request.method, url.pathname)
      if (handlePublic(match, { request, response, url })) return
      // The console's files hold no data: no token needed (the page gets it from the URL fragment).
      // Declared routes and everything under /v1 are the API's, never looked up as the console's files.
      const apiPath = match !== undefined || isOpenAiPath(url.pathname)
      if (this.webConsole && !apiPath && (await this.webConsole.handle(request, response, url))) return
      cors = corsHeaders(request, settings.allowedOrigins, this.ownOrigins)
      if (request.method === 'OPTIONS') {
        response.writeHead(204, cors).end()
        return
      }
      const credentials: Credentials = { consoleToken: settings.token, authenticateKey: (secret) => this.deps.api.authenticateIntegrationKey(secret) }
      const caller = identify(request, url, credentials, isForeignOrigin(request, this.ownOrigins))
      if (caller.kind === 'integration') this.rateLimits.checkRequest(caller.key)
      const { api, settings: liveSettings } = this.deps
      const context: RouteContext = {
        api,
        settings: liveSettings,
        sseOptions: this.sseOptions,
        cors,
        streams: this.streams,
        caller,
        rateLimits: this.rateLimits,
      }
      if (match) await handleDeclared(match, { request, response, url }, context)
      else if (!(await handleApi(context, request, response, url)))
        throw new HttpError(404, 'not-found', `Nothing at ${request.method} ${url.pathname}.`)
    } catch (error) {
      // A client that went away mid-body is nobody's fault, and there is no one left to answer.
      if (response.headersSent || error instanceof ClientGone) {
        response.destroy()
        return
      }
      const refusal = refusalOf(error)
      // Refused before its body was read (401, 404, 413 ...): take the rest of the body first, or closing the
      // connection (Connection: close) while it still arrives resets it, and the reset loses this answer.
      if (!(await drainBody(request))) response.shouldKeepAlive = false
      send(response, refusal, cors)
    }
  }
}

function refusalOf(error: unknown): HttpError {
  if (error instanceof HttpError) return error
  // A refusal the core knows (a full disk among them: nothing of the request was saved) keeps its own code.
  const known = knownApiError(error)
  if (known) return httpErrorOf(known)
  console.error('local server: unexpected error:', error)
  return new HttpError(500, 'internal', 'Something went wrong inside Support Console; the request may not have been completed.')
}

/** Sockets whose in-flight response, already started, is to be followed by a close. */
const closingAfterResponse = new WeakSet<Duplex>()
/** Sockets answered with a parse error, and how many bytes arrived after it (read and dropped). */
const droppedAfterRefusal = new WeakMap<Duplex, number>()

// Requests Node cannot parse get the same kind of JSON error as everything else, not a bare status line.
function answerClientError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
  socket: Duplex & { _httpMessage?: ServerResponse | null; setTimeout?: (ms: number, onTimeout: () => void) => unknown },
  idleTimeoutMs: number,
): void {
  // Answered already. The parser reports every later chunk as an error too: drop it (bounded) rather than
  // destroy the socket, since a socket destroyed while bytes arrive is reset, and the reset loses the answer.
  const dropped = droppedAfterRefusal.get(socket)
  if (dropped !== undefined) {
    const total = dropped + (error.rawPacket?.length ?? 0)
    droppedAfterRefusal.set(socket, total)
    if (total > DRAIN_MAX_BYTES) socket.destroy()
    return
  }
  const refusal = clientErrorRefusal(error)
  const inFlight = socket._httpMessage
  if (inFlight) {
    // A request on this connection was handed to a route already: its own answer says what became of it. A 400
    // written now would tell the client its request was not valid HTTP while it may have been carried out. The
    // parser cannot go on, so that answer closes the connection; a route still waiting for the body (whose
    // framing broke, or which timed out) is given this refusal instead, and nothing of it is carried out.
    if (!inFlight.headersSent) inFlight.shouldKeepAlive = false
    else if (!closingAfterResponse.has(socket)) {
      closingAfterResponse.add(socket)
      inFlight.once('finish', () => socket.end())
    }
    failBody(inFlight.req, refusal)
    return
  }
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } })
  droppedAfterRefusal.set(socket, 0)
  // The client closes once it has the answer; one that goes on sending without ever pausing hits DRAIN_MAX_BYTES.
  socket.setTimeout?.(idleTimeoutMs, () => socket.destroy())
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}

function clientErrorRefusal(error: NodeJS.ErrnoException): HttpError {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return new HttpError(
      431,
      'headers-too-large',
      `The request line and headers are larger than ${MAX_HEADER_BYTES} bytes; send long messages with POST /chat/stream.`,
    )
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new HttpError(408, 'request-timeout', 'The request took too long to arrive.')
  return new HttpError(400, 'bad-request', 'The request is not valid HTTP.')
}
