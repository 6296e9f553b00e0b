// The HTTP transport under the Gemini SDK: a `fetch` built on node:http(s) for our own streaming requests.
//
// Why: the SDK's stream path on undici's fetch was most of a relay's CPU at 100+ concurrent drafts (measured
// with bench/compare.ts); the same SDK on a node:http fetch reached the first chunk in about half the time with less CPU.
//
// How, without races: `@google/generative-ai` 0.24.1 takes no fetch option; it calls the global `fetch` (read when
// each request starts). So a dispatcher is installed over the global once, and never swapped back and forth: it
// sends a request through node:http only when the request carries TRANSPORT_HEADER with this process's own
// random token (sdk-stream.ts sets it through the SDK's `customHeaders`), and hands everything else, untouched,
// to the fetch it wrapped. Other code's requests are never affected, whenever they start.
import { randomBytes } from 'node:crypto'
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/** The header that marks a request as ours; it is removed before the request goes out. */
export const TRANSPORT_HEADER = 'x-support-console-transport'
const token = randomBytes(16).toString('hex')

/** Headers that make the SDK's requests use this transport (passed as its `customHeaders`). */
export const transportHeaders: Readonly<Record<string, string>> = Object.freeze({ [TRANSPORT_HEADER]: token })

// Keep-alive, no socket cap: each streaming draft holds one connection for its whole reply. Up to 1,024 idle ones
// are kept for the next drafts (a new TCP connection per draft was a visible cost at hundreds of drafts at once);
// the server closes idle ones after its own keep-alive timeout.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: 1_024 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: 1_024 }),
}

let requestsServed = 0

/** How many requests went through this transport: a test proves the SDK still uses it. */
export function transportRequestCount(): number {
  return requestsServed
}

type Fetch = typeof globalThis.fetch
let dispatcher: Fetch | undefined

/**
 * Puts the dispatcher over the global fetch, once; a no-op while it is there. If other code later replaced the
 * global (a test's mock), the dispatcher goes over that one, which it then hands unmarked requests to.
 */
export function installTransport(): void {
  if (dispatcher !== undefined && globalThis.fetch === dispatcher) return
  const underlying = globalThis.fetch
  const dispatch: Fetch = (input, init) => {
    const headers = init?.headers
    if (headers instanceof Headers && headers.get(TRANSPORT_HEADER) === token && typeof input === 'string') {
      return httpFetch(input, init as RequestInit & { headers: Headers })
    }
    return underlying(input, init)
  }
  dispatcher = dispatch
  globalThis.fetch = dispatch
}

/** A fetch error as undici words it ("fetch failed", the system error as cause), which the SDK and classify expect. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause })
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof Error && signal.reason.name === 'AbortError'
    ? signal.reason
    : new DOMException('This operation was aborted', 'AbortError')
}

/** Statuses whose response has no body; `new Response(body)` refuses one for them. */
const NULL_BODY = new Set([101, 204, 205, 304])

function httpFetch(url: string, init: RequestInit & { headers: Headers }): Promise<Response> {
  const target = new URL(url)
  const agent = agents[target.protocol as keyof typeof agents]
  if (!agent) return Promise.reject(fetchFailed(new Error(`unsupported protocol ${target.protocol}`)))
  const signal = init.signal ?? undefined
  if (signal?.aborted) return Promise.reject(abortError(signal))

  const headers: Record<string, string> = {}
  for (const [name, value] of init.headers) if (name !== TRANSPORT_HEADER) headers[name] = value
  const body = typeof init.body === 'string' ? init.body : undefined
  if (init.body !== undefined && init.body !== null && body === undefined)
    return Promise.reject(fetchFailed(new Error('only string bodies are supported')))
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body))
  requestsServed++

  return new Promise<Response>((resolve, reject) => {
    let response: IncomingMessage | undefined
    let failBody: ((error: unknown) => void) | undefined
    const onAbort = (): void => {
      const error = abortError(signal as AbortSignal)
      req.destroy()
      if (response) failBody?.(error)
      else reject(error)
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(target, { method: init.method ?? 'GET', headers, agent })
    signal?.addEventListener('abort', onAbort, { once: true })
    const release = (): void => signal?.removeEventListener('abort', onAbort)

    req.on('error', (error) => {
      release()
      if (response) failBody?.(fetchFailed(error))
      else reject(fetchFailed(error))
    })
    req.on('response', (res) => {
      response = res
      const status = res.statusCode ?? 0
      const responseHeaders = new Headers()
      for (const [name, value] of Object.entries(res.headers)) {
        if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v)
        else if (value !== undefined) responseHeaders.set(name, value)
      }
      if (NULL_BODY.has(status)) {
        res.resume()
        release()
        resolve(new Response(null, { status, statusText: res.statusMessage, headers: responseHeaders }))
        return
      }
      let settled = false
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          failBody = (error) => {
            if (settled) return
            settled = true
            controller.error(error)
            res.destroy()
          }
          res.on('data', (chunk: Buffer) => {
            if (!settled) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
          })
          res.on('end', () => {
            release()
            if (settled) return
            settled = true
            controller.close()
          })
          // A connection dropped mid-body: 'aborted' on the message, then 'close' without 'end'.
          res.on('aborted', () => failBody?.(fetchFailed(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }))))
          res.on('close', () => {
            release()
            if (!res.complete) failBody?.(fetchFailed(Object.assign(new Error('other side closed'), { code: 'ECONNRESET' })))
          })
        },
        cancel() {
          settled = true
          release()
          res.destroy()
        },
      })
      resolve(new Response(stream, { status, statusText: res.statusMessage, headers: responseHeaders }))
    })
    req.end(body)
  })
}
