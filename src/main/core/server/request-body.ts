// Reads a JSON request body with a size bound, so an oversized or malformed body is a clear 4xx; and drains a body
// nobody reads, so a refusal sent before it arrived reaches the client.
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-errors'

/**
 * The byte limit of a JSON body that carries up to `chars` characters of text (limits.ts BODY_CHARS): a character
 * takes up to 4 bytes in UTF-8 and up to 6 as a JSON escape, plus room for the rest of the body.
 */
export const bodyBytesFor = (chars: number): number => chars * 6 + 4_096

/** Whether the request says a body follows (chunked, or a non-zero Content-Length). */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** A parsed JSON body that is an object (not an array or null). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The most body bytes read and dropped before a refusal is sent. Far above any body a route accepts (a few MB at
 * most), read in milliseconds on loopback; past it the client is not sent a body's worth of patience.
 */
export const DRAIN_MAX_BYTES = 16 * 1024 * 1024

/** The client went away before its body arrived: there is nobody to answer, and nothing went wrong here. */
export class ClientGone extends Error {
  override name = 'ClientGone'
}

/**
 * A body whose framing broke after its request was handed to a route (a bad chunk, a timeout): the parser stops,
 * so the body never ends. The connection's error handler records it here, and whoever waits for the body (a
 * reader, a drain) stops waiting: a reader answers with this error instead of a 400 being written over the request.
 */
const brokenBodies = new WeakMap<IncomingMessage, HttpError>()
const BODY_BROKEN = 'support-console:body-broken'

export function failBody(request: IncomingMessage, error: HttpError): void {
  if (request.complete || brokenBodies.has(request)) return
  brokenBodies.set(request, error)
  request.emit(BODY_BROKEN, error)
}

/**
 * Transfer codings other than chunked are not implemented. Node dispatches such a request before its parser
 * fails on the body, so without this the route would run and the client would only be told its request was not
 * valid HTTP. chunked not last means the body's end cannot be found: 400 and close (RFC 9112, 6.3).
 */
export function checkFraming(request: IncomingMessage): void {
  const codings = request.headers['transfer-encoding']
  if (codings === undefined || codings.trim().toLowerCase() === 'chunked') return
  throw new HttpError(400, 'bad-request', 'Transfer-Encoding other than chunked is not supported; send the body as it is.', { Connection: 'close' })
}

export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported-media-type', 'Send the body as JSON with "Content-Type: application/json".')
  }
  const tooLarge = new HttpError(413, 'payload-too-large', `The body is larger than ${maxBytes} bytes.`)
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > maxBytes) throw tooLarge
  const body = await collect(request, maxBytes, tooLarge)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new HttpError(400, 'malformed-json', 'The body is not valid JSON.')
  }
}

// Events rather than `for await`: leaving that loop early (a body over the limit) destroys the request, and with it
// the connection the 413 was to be sent on. The rest of an oversized body is left to the caller's drainBody.
function collect(request: IncomingMessage, maxBytes: number, tooLarge: HttpError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > maxBytes) settle(() => reject(tooLarge))
      else chunks.push(chunk)
    }
    const settle = untilBodyEnds(request, onData, (outcome) => {
      if (outcome === 'ended') resolve(Buffer.concat(chunks))
      else reject(outcome === 'gone' ? new ClientGone('The client went away before its body arrived.') : outcome)
    })
  })
}

/**
 * Reads and drops the rest of a body nobody will read, so that a refusal sent before the body arrived is not lost:
 * a connection closed while body bytes are still coming in is reset, and a reset throws away the answer the client
 * has not read yet. Bounded by DRAIN_MAX_BYTES here and by the server's body-idle limit (which closes a stalled
 * connection). True when the whole body was read; false when the connection should close without waiting for it.
 */
export function drainBody(request: IncomingMessage, maxBytes = DRAIN_MAX_BYTES): Promise<boolean> {
  if (request.complete) return Promise.resolve(true)
  const tooLong = Number(request.headers['content-length'] ?? 0) > maxBytes
  if (request.destroyed || brokenBodies.has(request) || tooLong || asksUpgrade(request)) return Promise.resolve(false)
  return new Promise((resolve) => {
    let size = 0
    const settle = untilBodyEnds(
      request,
      (chunk) => {
        size += chunk.length
        if (size > maxBytes) settle(() => resolve(false))
      },
      (outcome) => resolve(outcome === 'ended'),
    )
  })
}

// Node's parser stops after the headers of a request that asks to switch protocols, even with no 'upgrade'
// listener: its body is never read, so waiting for it would only hold the answer back.
const asksUpgrade = (request: IncomingMessage): boolean =>
  request.headers.upgrade !== undefined && /(^|,)\s*upgrade\s*(,|$)/i.test(request.headers.connection ?? '')

type BodyOutcome = 'ended' | 'gone' | HttpError

/**
 * Feeds the body to `onData` until it ends, the client goes away, or its framing breaks (failBody), then calls
 * `onEnd` once. Returns a function that stops listening early and runs its argument instead of `onEnd`.
 */
function untilBodyEnds(
  request: IncomingMessage,
  onData: (chunk: Buffer) => void,
  onEnd: (outcome: BodyOutcome) => void,
): (instead: () => void) => void {
  let done = false
  const stop = (then: () => void): void => {
    if (done) return
    done = true
    request.off('data', onData)
    request.off('end', onEnded)
    request.off('close', onClose)
    request.off(BODY_BROKEN, onBroken)
    // Still flowing without listeners: whatever else arrives is dropped, and Node can go on to the next request.
    request.resume()
    then()
  }
  const onEnded = (): void => stop(() => onEnd('ended'))
  // Node closes the request after 'end'; a close first means the connection went before the body was in.
  const onClose = (): void => stop(() => onEnd('gone'))
  const onBroken = (error: HttpError): void => stop(() => onEnd(error))
  const broken = brokenBodies.get(request)
  if (broken || request.readableEnded || request.destroyed) {
    stop(() => onEnd(broken ?? (request.readableEnded ? 'ended' : 'gone')))
    return stop
  }
  request.on('data', onData)
  request.once('end', onEnded)
  request.once('close', onClose)
  request.once(BODY_BROKEN, onBroken)
  request.resume()
  return stop
}
