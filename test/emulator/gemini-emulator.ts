// A local stand-in for the Gemini REST API, spoken over real HTTP so that the real SDK (and anything else:
// curl, the relay benchmark) can be pointed at it through a base URL. It speaks Gemini's REST streaming protocol
// as Google documents it and as `@google/generative-ai` 0.24.1 reads it: the same paths, headers, SSE framing,
// error bodies and failure modes Google's servers produce, so that a client that passes against it has been
// exercised on the wire, not against a stub.
import { randomBytes } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Fault =
  | {
      type: 'http-error'
      status: number
      statusText?: string
      message?: string
      /** e.g. '2s'; adds a google.rpc.RetryInfo detail. */
      retryDelay?: string
      /** Adds a google.rpc.ErrorInfo detail with this reason (e.g. API_KEY_INVALID). */
      reason?: string
    }
  /** Destroy the socket after N chunks. */
  | { type: 'drop'; afterChunks: number }
  /** A raw `{"error":{...}}` line without `data: ` after N chunks, then the end of the body. */
  | { type: 'error-line'; afterChunks: number; status?: number }
  /** N chunks, then silence with the connection open until the client aborts or the emulator closes. */
  | { type: 'stall'; afterChunks: number }
  /** HTTP 200 and a single event with promptFeedback.blockReason and no candidates. */
  | { type: 'blocked-prompt'; blockReason?: string }
  /** N text chunks, then a candidate with this finishReason and no more text (e.g. SAFETY part-way). */
  | { type: 'finish-reason'; afterChunks: number; finishReason: string }

export interface ScriptedReply {
  /** Text of each chunk, sent in order. */
  chunks: string[]
  /** Pause before each chunk (default 0). */
  delayMs?: number
  /** Extra pause before the first chunk. */
  firstChunkDelayMs?: number
  /**
   * Default 'STOP'. null: the last chunk carries no finishReason and the body simply ends, as when a proxy or
   * gateway closes the stream cleanly before Gemini finished.
   */
  finishReason?: string | null
  /** Default: derived from the request's text length. */
  promptTokens?: number
  fault?: Fault
  /**
   * Streaming only, default false. Appends a send-time marker (see stampChunk) to each chunk's text just
   * before the chunk is written, so a receiver in another process can tell how long the chunk took to
   * reach it. Used by the relay benchmark (bench/); the marker is ordinary text to everything else.
   */
  stamp?: boolean
}

/** Opens and closes the marker added by `stamp`: `⟦t=1732512345678.123⟧`. */
export const STAMP_OPEN = '⟦t='
export const STAMP_CLOSE = '⟧'

/**
 * A clock that processes on one machine share: wall-clock time at process start plus monotonic time since.
 * Unlike Date.now() it has sub-millisecond resolution, and unlike performance.now() alone it is not
 * relative to each process's own start.
 */
export const sharedClockMs = (): number => performance.timeOrigin + performance.now()

/** The chunk's text with the current shared-clock time appended as a marker. */
export function stampChunk(text: string): string {
  return `${text}${STAMP_OPEN}${sharedClockMs().toFixed(3)}${STAMP_CLOSE}`
}

export interface RecordedRequest {
  method: string
  /** Path and query string as received, e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
  path: string
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON, or the raw text when it was not JSON, or undefined for an empty body. */
  body: unknown
}

export interface EmulatorOptions {
  port?: number
  host?: string
  /** Default 'test-key'. */
  apiKey?: string
  /** Known models; by default any name starting with 'gemini' is accepted. */
  models?: string[]
}

export interface DefaultReplyRequest {
  model: string
  lastUserText: string
  body: unknown
}

const DEFAULT_KEY = 'test-key'
const MAX_BODY_BYTES = 20 * 1024 * 1024
const PATH_RE = /^\/(v1beta|v1|v1alpha)\/models\/([^/:?]+):(streamGenerateContent|generateContent|countTokens)$/

// Google's canonical status names for the HTTP codes it uses (google.rpc.Code).
const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
}

const DEFAULT_MESSAGE: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  503: 'The model is overloaded. Please try again later.',
  504: 'Deadline expired before operation could complete.',
}

/** Each word with the whitespace after it: how the default reply is cut into chunks. */
export function wordChunks(text: string): string[] {
  return text.match(/\S+\s*/g) ?? []
}

/** The deterministic reply used when nothing is queued. */
export function echoReply(lastUserText: string, delayMs = 5): ScriptedReply {
  return { chunks: wordChunks(`Thanks for reaching out! You wrote: ${lastUserText}`), delayMs }
}

// JSON.stringify leaves U+2028/U+2029 raw; the SDK's line regex (`.` does not match them) then never finds the
// end of the event. Google escapes them, and so do we.
function toJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

// A rough but deterministic token estimate (about four characters a token), enough for usage plumbing.
const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function partsText(content: unknown): string {
  if (!isRecord(content) || !Array.isArray(content.parts)) return ''
  return content.parts.map((p) => (isRecord(p) && typeof p.text === 'string' ? p.text : '')).join('')
}

function lastUserText(contents: unknown[]): string {
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i]
    if (isRecord(c) && (c.role === undefined || c.role === 'user')) return partsText(c)
  }
  return ''
}

/** Mirrors the checks Google makes on a GenerateContentRequest, with its wording; undefined when valid. */
function validateGenerateRequest(body: unknown): string | undefined {
  if (!isRecord(body)) return 'Invalid JSON payload received. Expected an object.'
  const contents = body.contents
  if (!Array.isArray(contents) || contents.length === 0) {
    return '* GenerateContentRequest.contents: contents is not specified\n'
  }
  for (const [i, content] of contents.entries()) {
    if (!isRecord(content)) return `Invalid value at 'contents[${i}]', expected an object.`
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
      return 'Please use a valid role: user, model.'
    }
    if (!Array.isArray(content.parts) || content.parts.length === 0) {
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`
    }
    for (const [j, part] of content.parts.entries()) {
      // An empty text part is "no data" to Google, and it says so in these words.
      if (!isRecord(part) || Object.keys(part).length === 0 || part.text === '') {
        return `* GenerateContentRequest.contents[${i}].parts[${j}].data: required oneof field 'data' must have one initialized field\n`
      }
    }
  }
  return undefined
}

function errorBody(status: number, message: string, details?: unknown[]): string {
  const error: Record<string, unknown> = { code: status, message, status: RPC_STATUS[status] ?? 'UNKNOWN' }
  if (details && details.length > 0) error.details = details
  return toJson({ error })
}

/** One streaming or unary response in progress; `closed` flips when the client goes away or we finish. */
class Exchange {
  closed = false
  private readonly onClose = new Set<() => void>()

  constructor(readonly res: ServerResponse) {
    res.on('close', () => {
      this.closed = true
      for (const fn of this.onClose) fn()
      this.onClose.clear()
    })
  }

  /** Waits ms, or less if the connection closes; true when still open. Timers never outlive the connection. */
  pause(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false)
    if (ms <= 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.onClose.delete(done)
        resolve(!this.closed)
      }
      const timer = setTimeout(done, ms)
      this.onClose.add(done)
    })
  }

  /** Resolves when the connection closes (for stalls). */
  untilClosed(): Promise<void> {
    if (this.closed) return Promise.resolve()
    return new Promise((resolve) => this.onClose.add(resolve))
  }

  /**
   * Writes respecting back-pressure. With `flush`, waits until the bytes reached the socket, so that a
   * following destroy() does not discard them.
   */
  write(data: string, flush = false): Promise<boolean> {
    if (this.closed) return Promise.resolve(false)
    return new Promise((resolve) => {
      let settled = false
      const settle = (): void => {
        if (settled) return
        settled = true
        this.onClose.delete(settle)
        this.res.off('drain', settle)
        resolve(!this.closed)
      }
      this.onClose.add(settle)
      const ok = this.res.write(data, flush ? () => settle() : undefined)
      if (!flush) {
        if (ok) settle()
        else this.res.once('drain', settle)
      }
    })
  }
}

export class GeminiEmulator {
  readonly requests: RecordedRequest[] = []
  private readonly queue: ScriptedReply[] = []
  private defaultReply: (request: DefaultReplyRequest) => ScriptedReply = (r) => echoReply(r.lastUserText)
  private readonly streams = new Set<Exchange>()
  private readonly exchanges = new Set<Exchange>()
  private readonly requestWaiters = new Set<() => void>()
  private readonly apiKey: string
  private readonly models: string[] | undefined
  private responseCounter = 0

  private constructor(
    private readonly server: Server,
    readonly url: string,
    options: EmulatorOptions,
  ) {
    this.apiKey = options.apiKey ?? DEFAULT_KEY
    this.models = options.models
  }

  static async start(options: EmulatorOptions = {}): Promise<GeminiEmulator> {
    const host = options.host ?? '127.0.0.1'
    const server = createServer()
    // A malformed request line or headers must cost the client its socket, never the emulator its process.
    server.on('clientError', (_err, socket) => socket.destroy())
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const { port } = server.address() as AddressInfo
    const hostForUrl = host.includes(':') ? `[${host}]` : host
    const emulator = new GeminiEmulator(server, `http://${hostForUrl}:${port}`, options)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      emulator.handle(req, res).catch(() => {
        // Last resort: answer if we still can, drop the connection otherwise.
        if (!res.headersSent) sendJson(res, 500, errorBody(500, DEFAULT_MESSAGE[500] as string))
        else res.destroy()
      })
    })
    return emulator
  }

  enqueue(...replies: ScriptedReply[]): void {
    this.queue.push(...replies)
  }

  setDefaultReply(fn: (request: DefaultReplyRequest) => ScriptedReply): void {
    this.defaultReply = fn
  }

  /** Streaming responses whose connection is still open. */
  get openStreams(): number {
    return this.streams.size
  }

  waitForRequests(n: number, timeoutMs = 5000): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.requests.length < n) return
        clearTimeout(timer)
        this.requestWaiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        this.requestWaiters.delete(check)
        reject(new Error(`expected ${n} request(s) within ${timeoutMs} ms, got ${this.requests.length}`))
      }, timeoutMs)
      this.requestWaiters.add(check)
    })
  }

  async close(): Promise<void> {
    for (const exchange of this.exchanges) exchange.res.destroy()
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      // Idle keep-alive sockets would otherwise hold close() open for seconds.
      this.server.closeAllConnections()
    })
  }

  private record(request: RecordedRequest): void {
    this.requests.push(request)
    for (const waiter of [...this.requestWaiters]) waiter()
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => undefined)
    res.on('error', () => undefined)
    const exchange = new Exchange(res)
    this.exchanges.add(exchange)
    res.on('close', () => {
      this.exchanges.delete(exchange)
      this.streams.delete(exchange)
    })

    const path = req.url ?? '/'
    const pathname = path.split('?')[0] ?? ''
    const route = PATH_RE.exec(pathname)
    const method = route?.[3]
    if (method === 'streamGenerateContent') this.streams.add(exchange)

    const raw = await readBody(req)
    let body: unknown = undefined
    let malformed = false
    if (raw !== null && raw.length > 0) {
      try {
        body = JSON.parse(raw)
      } catch {
        body = raw
        malformed = true
      }
    }
    this.record({ method: req.method ?? '', path, headers: { ...req.headers }, body })
    if (exchange.closed) return

    if (raw === null) return sendJson(res, 400, errorBody(400, 'Request payload size exceeds the limit: 20971520 bytes.'))
    if (!route) return sendJson(res, 404, errorBody(404, `Method not found: ${pathname}`))
    if (req.method !== 'POST') {
      return sendJson(res, 404, errorBody(404, `Method ${req.method ?? ''} is not allowed for ${pathname}.`))
    }

    const query = new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?') + 1) : '')
    // Google accepts the key in the header or (discouraged) as ?key=; tests check which one the client used.
    const key = req.headers['x-goog-api-key'] ?? query.get('key') ?? undefined
    if (key !== this.apiKey) {
      const message = 'API key not valid. Please pass a valid API key.'
      return sendJson(
        res,
        400,
        errorBody(400, message, [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
        ]),
      )
    }

    if (malformed) {
      return sendJson(res, 400, errorBody(400, `Invalid JSON payload received. Unexpected token.\n${String(body).slice(0, 40)}`))
    }

    const model = decodeURIComponent(route[2] ?? '')
    const known = this.models ? this.models.includes(model) : model.startsWith('gemini')
    if (!known) {
      const message =
        `models/${model} is not found for API version ${route[1] ?? 'v1beta'}, or is not supported for ${method ?? ''}. ` +
        'Call ListModels to see the list of available models and their supported methods.'
      // Google answers an unknown model on the stream path with an event-stream content type but a JSON body.
      const type = method === 'streamGenerateContent' ? 'text/event-stream' : undefined
      return sendJson(res, 404, errorBody(404, message), type)
    }

    if (method === 'countTokens') return this.countTokens(res, body)

    const invalid = validateGenerateRequest(body)
    if (invalid) return sendJson(res, 400, errorBody(400, invalid))
    const request = body as Record<string, unknown>
    const contents = request.contents as unknown[]
    const reply = this.queue.shift() ?? this.defaultReply({ model, lastUserText: lastUserText(contents), body })
    const promptText = [request.systemInstruction, ...contents].map(partsText).filter(Boolean).join('\n')
    const context: ReplyContext = {
      model,
      responseId: this.nextResponseId(),
      promptTokens: reply.promptTokens ?? Math.max(1, estimateTokens(promptText)),
    }
    if (method === 'streamGenerateContent') await serveStream(exchange, reply, context)
    else await serveUnary(exchange, reply, context)
  }

  private countTokens(res: ServerResponse, body: unknown): void {
    // This SDK wraps the request as {generateContentRequest: {...}}; other clients send {contents} directly.
    const inner = isRecord(body) && isRecord(body.generateContentRequest) ? body.generateContentRequest : body
    const contents = isRecord(inner) && Array.isArray(inner.contents) ? inner.contents : []
    const text = [isRecord(inner) ? inner.systemInstruction : undefined, ...contents].map(partsText).filter(Boolean).join('\n')
    sendJson(res, 200, toJson({ totalTokens: estimateTokens(text) }))
  }

  private nextResponseId(): string {
    this.responseCounter += 1
    return `${randomBytes(9).toString('base64url')}${this.responseCounter}`
  }
}

interface ReplyContext {
  model: string
  responseId: string
  promptTokens: number
}

function sendJson(res: ServerResponse, status: number, body: string, contentType?: string, statusText?: string): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, statusText ?? STATUS_CODES[status] ?? '', {
    'content-type': contentType ?? 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}

/** The body as text, or null when it is over the size limit. Never rejects. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooBig = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooBig = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(''))
    req.on('close', () => resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')))
  })
}

function httpErrorDetails(fault: Extract<Fault, { type: 'http-error' }>): unknown[] {
  const details: unknown[] = []
  if (fault.reason) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: fault.reason,
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    })
  }
  if (fault.status === 429) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
        },
      ],
    })
  }
  if (fault.retryDelay) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: fault.retryDelay })
  }
  return details
}

const SAFETY_RATINGS_OK = [
  { category: 'HARM_CATEGORY_HATE_SPEECH', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' },
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', probability: 'NEGLIGIBLE' },
]
const SAFETY_RATINGS_BLOCKED = SAFETY_RATINGS_OK.map((r) =>
  r.category === 'HARM_CATEGORY_DANGEROUS_CONTENT' ? { ...r, probability: 'HIGH', blocked: true } : r,
)

interface ChunkShape {
  text: string | null
  finishReason?: string
  outputTokens: number
}

function responseJson(ctx: ReplyContext, chunk: ChunkShape): Record<string, unknown> {
  const candidate: Record<string, unknown> = {}
  if (chunk.text !== null) candidate.content = { parts: [{ text: chunk.text }], role: 'model' }
  if (chunk.finishReason) candidate.finishReason = chunk.finishReason
  if (chunk.finishReason && chunk.finishReason !== 'STOP' && chunk.finishReason !== 'MAX_TOKENS') {
    candidate.safetyRatings = chunk.finishReason === 'SAFETY' ? SAFETY_RATINGS_BLOCKED : SAFETY_RATINGS_OK
  }
  candidate.index = 0
  const usage: Record<string, unknown> = {
    promptTokenCount: ctx.promptTokens,
    candidatesTokenCount: chunk.outputTokens,
    totalTokenCount: ctx.promptTokens + chunk.outputTokens,
  }
  if (chunk.finishReason) usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: ctx.promptTokens }]
  return { candidates: [candidate], usageMetadata: usage, modelVersion: ctx.model, responseId: ctx.responseId }
}

const event = (json: Record<string, unknown>): string => `data: ${toJson(json)}\r\n\r\n`

function blockedPromptJson(ctx: ReplyContext, blockReason: string): Record<string, unknown> {
  return {
    promptFeedback: { blockReason, safetyRatings: blockReason === 'SAFETY' ? SAFETY_RATINGS_BLOCKED : SAFETY_RATINGS_OK },
    usageMetadata: { promptTokenCount: ctx.promptTokens, totalTokenCount: ctx.promptTokens },
    modelVersion: ctx.model,
    responseId: ctx.responseId,
  }
}

function sendHttpError(exchange: Exchange, fault: Extract<Fault, { type: 'http-error' }>): void {
  const message = fault.message ?? DEFAULT_MESSAGE[fault.status] ?? STATUS_CODES[fault.status] ?? 'Error'
  sendJson(exchange.res, fault.status, errorBody(fault.status, message, httpErrorDetails(fault)), undefined, fault.statusText)
}

async function serveStream(exchange: Exchange, reply: ScriptedReply, ctx: ReplyContext): Promise<void> {
  const { res } = exchange
  const fault = reply.fault
  if (!(await exchange.pause(reply.firstChunkDelayMs ?? 0))) return
  if (fault?.type === 'http-error') return sendHttpError(exchange, fault)

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  res.flushHeaders()

  if (fault?.type === 'blocked-prompt') {
    await exchange.write(event(blockedPromptJson(ctx, fault.blockReason ?? 'SAFETY')))
    res.end()
    return
  }

  // How many text chunks go out before the fault (or all of them).
  const textCount = fault && 'afterChunks' in fault ? Math.min(Math.max(0, fault.afterChunks), reply.chunks.length) : reply.chunks.length
  const finishesNormally = !fault
  let outputTokens = 0
  for (let i = 0; i < textCount; i++) {
    if (!(await exchange.pause(reply.delayMs ?? 0))) return
    // Stamped after the pause, as close to the write as possible: the marker says when the chunk left.
    const text = reply.stamp ? stampChunk(reply.chunks[i] ?? '') : (reply.chunks[i] ?? '')
    outputTokens += estimateTokens(text)
    // Like Google, the last chunk carries both the last text and the finishReason.
    const last = finishesNormally && i === textCount - 1
    const chunk: ChunkShape = { text, outputTokens }
    if (last && reply.finishReason !== null) chunk.finishReason = reply.finishReason ?? 'STOP'
    const flush = !finishesNormally && i === textCount - 1
    if (!(await exchange.write(event(responseJson(ctx, chunk)), flush))) return
  }

  if (!fault) {
    if (textCount === 0 && reply.finishReason !== null) {
      if (!(await exchange.pause(reply.delayMs ?? 0))) return
      await exchange.write(event(responseJson(ctx, { text: '', finishReason: reply.finishReason ?? 'STOP', outputTokens })))
    }
    res.end()
    return
  }
  switch (fault.type) {
    case 'drop':
      res.destroy()
      return
    case 'error-line': {
      const status = fault.status ?? 500
      await exchange.write(`${errorBody(status, DEFAULT_MESSAGE[status] ?? STATUS_CODES[status] ?? 'Error')}\n`)
      res.end()
      return
    }
    case 'stall':
      await exchange.untilClosed()
      return
    case 'finish-reason':
      if (!(await exchange.pause(reply.delayMs ?? 0))) return
      await exchange.write(event(responseJson(ctx, { text: null, finishReason: fault.finishReason, outputTokens })))
      res.end()
      return
  }
}

async function serveUnary(exchange: Exchange, reply: ScriptedReply, ctx: ReplyContext): Promise<void> {
  const { res } = exchange
  const fault = reply.fault
  if (!(await exchange.pause((reply.firstChunkDelayMs ?? 0) + (reply.delayMs ?? 0)))) return
  if (!fault) {
    const text = reply.chunks.join('')
    const chunk: ChunkShape = { text, outputTokens: estimateTokens(text) }
    if (reply.finishReason !== null) chunk.finishReason = reply.finishReason ?? 'STOP'
    return sendJson(res, 200, toJson(responseJson(ctx, chunk)))
  }
  switch (fault.type) {
    case 'http-error':
      return sendHttpError(exchange, fault)
    case 'blocked-prompt':
      return sendJson(res, 200, toJson(blockedPromptJson(ctx, fault.blockReason ?? 'SAFETY')))
    case 'drop':
      res.destroy()
      return
    case 'error-line': {
      const status = fault.status ?? 500
      return sendJson(res, status, errorBody(status, DEFAULT_MESSAGE[status] ?? STATUS_CODES[status] ?? 'Error'))
    }
    case 'stall':
      await exchange.untilClosed()
      return
    case 'finish-reason': {
      const text = reply.chunks.slice(0, fault.afterChunks).join('')
      const json = responseJson(ctx, { text: text || null, finishReason: fault.finishReason, outputTokens: estimateTokens(text) })
      return sendJson(res, 200, toJson(json))
    }
  }
}
