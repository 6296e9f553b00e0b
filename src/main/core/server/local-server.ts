// The local HTTP server: SSE streaming for integrations and a small JSON API over the transcripts.
// node:http directly: the SDK's stream path is already the expensive part of the relay (gemini-wire.md).
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AddressInfo } from 'node:net'
import type { DraftingService } from '../drafting/drafting-service'
import type { StreamHub } from '../streaming/stream-hub'
import type { TranscriptStore } from '../store/transcript-store'
import { checkHost, checkToken, corsHeaders } from './guards'
import { HttpError, sendError } from './http-errors'
import { handleApi } from './api-routes'
import { handleChat } from './chat-routes'
import type { SseOptions } from './sse-connection'

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
  settings: () => LocalServerSettings
  sse?: Partial<SseOptions>
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
  ) {}

  static async start(deps: LocalServerDeps): Promise<LocalServer> {
    // A GET /chat/stream URL may carry a long message; past this, integrations should POST.
    const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES })
    const local = new LocalServer(server, deps, { ...DEFAULT_SSE_OPTIONS, ...deps.sse })
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
      server.listen(port, host, () => resolve())
    })
    const bound = (server.address() as AddressInfo).port
    local.ownOrigins = [`http://127.0.0.1:${bound}`, `http://localhost:${bound}`, `http://[::1]:${bound}`]
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
      cors = corsHeaders(request, settings.allowedOrigins, this.ownOrigins)
      if (request.method === 'OPTIONS') {
        response.writeHead(204, cors).end()
        return
      }
      checkToken(request, url, settings.token)
      const context: RouteContext = { ...this.deps, sseOptions: this.sseOptions, cors, streams: this.streams }
      const handled = (await handleChat(context, request, response, url)) || handleApi(context, request, response, url)
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
