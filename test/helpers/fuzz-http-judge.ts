// What counts as a correct answer to a fuzzed request (see fuzz-http.test.ts for the property as a whole).
//
// - Every final response is either
//   - a 4xx whose body is exactly the server's error shape {"error":{"code","message"}} (both non-empty strings)
//     with a JSON Content-Type; a HEAD response carries the headers only;
//   - or a 2xx the request earned: 200 {"status":"ok"} (/health) and 204 (an OPTIONS preflight) need only a
//     loopback Host (and, for the preflight, no foreign Origin); any other 2xx needs the token, a loopback Host and
//     no foreign Origin. Its body matches its type: JSON parses, an event stream starts with `retry:` and, unless
//     the client cut it, ends with `data: [DONE]`, a 204 is empty, an export is an attachment.
// - Never a 5xx, 3xx or unexpected 1xx (100 Continue is fine), never a response cut short by the server.
// - At least one response, unless the request was CONNECT (Node closes the connection: nothing is tunnelled), the
//   client abandoned it (half-closed before the body its Content-Length announced was sent), or it half-closed after
//   a broken chunked body (see `goneAfterBrokenBody`).
// - The server answers or closes within the deadline: no hang.
import type { FuzzRequest } from './fuzz-http-requests'
import type { RawExchange, RawResponse } from './fuzz-raw-http'

export interface Verdict {
  /** Empty when the answer is correct. */
  problems: string[]
  /** Some response was a 2xx: the request was served and may have changed transcripts. */
  served: boolean
}

const isErrorBody = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false
  const keys = Object.keys(value)
  if (keys.length !== 1 || keys[0] !== 'error') return false
  const error = (value as { error: unknown }).error
  if (typeof error !== 'object' || error === null) return false
  const { code, message } = error as { code?: unknown; message?: unknown }
  return typeof code === 'string' && code.length > 0 && typeof message === 'string' && message.length > 0
}

const parseJson = (body: Buffer): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) }
  } catch {
    return { ok: false }
  }
}

export function judge(request: FuzzRequest, exchange: RawExchange): Verdict {
  const problems: string[] = []
  const { claims } = request
  const head = request.method === 'HEAD'
  let served = false
  if (exchange.timedOut) problems.push('no answer and no close before the deadline (hang)')
  if (exchange.unparsed.length > 0) problems.push('the server sent bytes that are not an HTTP response')
  // A silent close is right for CONNECT (nothing is tunnelled) and for a request the client abandoned: it half-closed
  // before sending the body its Content-Length announced.
  const abandoned = request.framing === 'long' && exchange.halfClosed
  if (exchange.responses.length === 0 && request.method !== 'CONNECT' && !abandoned && !goneAfterBrokenBody(request, exchange) && !exchange.timedOut)
    problems.push('the connection closed without any response')
  for (const status of exchange.interim) if (status !== 100) problems.push(`unexpected interim status ${status}`)
  for (const [index, response] of exchange.responses.entries()) {
    const { status, headers, body } = response
    const label = `response ${index + 1} (${status})`
    const bodyless = head && index === 0
    // A client that half-closed has, as far as Node is concerned, gone away: cutting its response is right.
    if (response.truncated && !exchange.halfClosed) problems.push(`${label} was cut short by the server`)
    if (status >= 500) problems.push(`${label} is a server error`)
    else if (status >= 400) {
      if (!/^application\/json\b/i.test(headers['content-type'] ?? ''))
        problems.push(`${label} is not JSON (Content-Type ${headers['content-type']})`)
      if (!bodyless) {
        const parsed = parseJson(body)
        if (!parsed.ok || !isErrorBody(parsed.value)) problems.push(`${label} body is not {"error":{"code","message"}}`)
      }
    } else if (status >= 200 && status < 300) {
      served = true
      const loopback = claims.host === 'loopback'
      const noForeignOrigin = claims.origin === 'none-or-own'
      const isHealth = status === 200 && body.toString('utf8') === '{"status":"ok"}'
      const isPreflight = status === 204 && request.method === 'OPTIONS'
      const earned = isHealth ? loopback : isPreflight ? loopback && noForeignOrigin : loopback && noForeignOrigin && claims.token === 'valid'
      if (!earned) problems.push(`${label} served a request that must be refused (${JSON.stringify(claims)})`)
      const last = index === exchange.responses.length - 1
      if (!bodyless) problems.push(...bodyProblems(label, response, (exchange.cut || exchange.halfClosed) && last))
    } else problems.push(`${label} is not a 2xx or 4xx`)
  }
  return { problems, served }
}

/**
 * A chunked body that breaks after its request was handed to a route, then a half-close. The server does not write a
 * 400 over a request in flight (it may be carried out; its own answer says what became of it), and Node takes the
 * half-close for a client that went away and ends the connection, so a route that had not answered yet never does.
 */
const goneAfterBrokenBody = (request: FuzzRequest, exchange: RawExchange): boolean => request.framing === 'chunked-broken' && exchange.halfClosed

function bodyProblems(label: string, { status, headers, body }: RawResponse, cutByClient: boolean): string[] {
  const type = headers['content-type'] ?? ''
  if (status === 204) return body.length === 0 ? [] : [`${label} has a body`]
  if (/^application\/json\b/i.test(type)) return parseJson(body).ok ? [] : [`${label} is not valid JSON`]
  if (/^text\/event-stream\b/i.test(type)) {
    const text = body.toString('utf8')
    if (!text.startsWith('retry: ') && !(cutByClient && text.length === 0)) return [`${label} event stream does not start with retry:`]
    if (!cutByClient && !text.endsWith('data: [DONE]\n\n')) return [`${label} event stream ended without data: [DONE]`]
    return []
  }
  if (/^attachment; filename="[A-Za-z0-9.-]+"$/.test(headers['content-disposition'] ?? '')) return []
  return [`${label} has an unexpected Content-Type ${type}`]
}
