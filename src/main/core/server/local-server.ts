// The local HTTP server: SSE streaming for integrations, the JSON API (the renderer-facing API as REST), and in
// web mode the built console itself.
// node:http directly: the SDK's stream path is already the expensive part of the relay (gemini-wire.md).
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo } from 'node:net'
import type { SupportConsoleApi } from '../../../shared/api'
import type { DraftingService } from '../drafting/drafting-service'
import type { StreamHub } from '../streaming/stream-hub'
import type { TranscriptStore } from '../store/transcript-store'
import { checkHost, checkToken, corsHeaders } from './guards'
import { HttpError, sendError } from './http-errors'
import { handleApi } from './api-routes'
import { handleChat } from './chat-routes'
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
  store: TranscriptStore
  drafting: DraftingService
  hub: StreamHub
  /** What the REST routes call: the same service the desktop app reaches over IPC. */
  api: SupportConsoleApi
  /** Read on every request, so changed settings (allowed origins) apply at once. */
  settings: () => LocalServerSettings
  sse?: Partial<SseOptions>
  /** The built web console to serve at `/`; without it the server is API-only. */
  webConsoleDir?: string
}

export const MAX_HEADER_BYTES = 64 * 1024

export const DEFAULT_SSE_OPTIONS: SseOptions = { heartbeatMs: 15_000, retryMs: 2_000, maxBufferedBytes: 4 * 1024 * 1024 }

/** What route handlers get: the dependencies plus the server's own bookkeeping. */
export interface RouteContext extends LocalServerDeps {
  sseOptions: SseOptions
  cors: Record<string, string>
  streams: { open: number }
}

export class LocalServer {
  private readonly streams = { open: 0 }
  private ownOrigins: string[] = []

  private constructor(
    private readonly server: Server,
    private readonly deps: LocalServerDeps,
    private readonly sseOptions: SseOptions,
    private readonly webConsole: WebConsoleFiles | undefined,
  ) {}

  static async start(deps: LocalServerDeps): Promise<LocalServer> {
    const webConsole = deps.webConsoleDir === undefined ? undefined : WebConsoleFiles.open(deps.webConsoleDir)
    // A GET /chat/stream URL may carry a long message; past this, integrations should POST.
    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES })
    const local = new LocalServer(server, deps, { ...DEFAULT_SSE_OPTIONS, ...deps.sse }, webConsole)
    server.on('request', (request, response) => void local.handle(request, response))
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => answerClientError(error, socket))
    // Connections must not linger idle forever, but SSE responses are long-lived by design.
    server.requestTimeout = 0
    server.headersTimeout = 20_000
    server.keepAliveTimeout = 5_000
    const { host, port } = deps.settings()
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`Port ${port} on ${host} is already in use. Set SUPPORT_CONSOLE_PORT to another port (0 picks a free one).`)
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

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let cors: Record<string, string> = {}
    try {
      const settings = this.deps.settings()
      const url = new URL(request.url ?? '/', 'http://localhost')
      checkHost(request, settings.host)
      if (url.pathname === '/health') {
        if (request.method !== 'GET') throw new HttpError(405, 'method-not-allowed', 'Use GET.')
        response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end('{"status":"ok"}')
        return
      }
      // The console's files hold no data: no token needed (the page gets it from the URL fragment).
      if (this.webConsole && (await this.webConsole.handle(request, response, url))) return
      cors = corsHeaders(request, settings.allowedOrigins, this.ownOrigins)
      if (request.method === 'OPTIONS') {
        response.writeHead(204, cors).end()
        return
      }
      checkToken(request, url, settings.token)
      const context: RouteContext = { ...this.deps, sseOptions: this.sseOptions, cors, streams: this.streams }
      const handled = (await handleChat(context, request, response, url)) || (await handleApi(context, request, response, url))
      if (!handled) throw new HttpError(404, 'not-found', `Nothing at ${request.method} ${url.pathname}.`)
    } catch (error) {
      if (response.headersSent) {
        response.destroy()
        return
      }
      if (error instanceof HttpError) {
        sendError(response, error, cors)
      } else {
        console.error('local server: unexpected error:', error)
        sendError(response, new HttpError(500, 'internal', 'Something went wrong inside Support Console; nothing was lost.'), cors)
      }
    }
  }
}

// Requests Node cannot parse get the same kind of JSON error as everything else, not a bare status line.
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, `The request line and headers are larger than ${MAX_HEADER_BYTES} bytes; send long messages with POST /chat/stream.`]
      : [400, 'The request is not valid HTTP.']
  const body = JSON.stringify({ error: { code: status === 431 ? 'headers-too-large' : 'bad-request', message } })
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  )
}
