// Who may talk to the local server: a loopback Host (against DNS rebinding), the token, and only the
// browser origins the user allowed (no wildcard CORS).
import { timingSafeEqual, createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-errors'

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The Host header's name without its port. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined
  const match = host.trim().toLowerCase().match(/^(\[[^\]]+\]|[^:]+)(?::\d+)?$/)
  return match?.[1]
}

/** A request must name this machine; another name means a page on some domain resolved to us (DNS rebinding). */
export function checkHost(request: IncomingMessage, boundHost: string): void {
  const name = hostName(request.headers.host)
  const bound = boundHost.includes(':') ? `[${boundHost}]` : boundHost.toLowerCase()
  if (name && (loopbackNames.has(name) || name === bound)) return
  throw new HttpError(403, 'forbidden-host', 'This server answers only requests addressed to 127.0.0.1 or localhost.')
}

// Comparing digests keeps the comparison constant-time whatever the lengths.
const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

export function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization
  if (header) return header.match(/^Bearer\s+(.+)$/i)?.[1]?.trim()
  // EventSource cannot set headers, so it may carry the token in the query string.
  return url.searchParams.get('token') ?? undefined
}

export function checkToken(request: IncomingMessage, url: URL, token: string): void {
  const presented = presentedToken(request, url)
  if (presented === undefined) {
    throw new HttpError(401, 'unauthorized', 'A token is required: send "Authorization: Bearer <token>" or add ?token=<token>.', {
      'WWW-Authenticate': 'Bearer',
    })
  }
  if (!timingSafeEqual(digest(presented), digest(token))) {
    throw new HttpError(401, 'unauthorized', 'The token is not valid.', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
  }
}

/**
 * CORS headers for an allowed Origin. A browser request from any other origin is refused outright, so a web
 * page cannot even start a (billable) generation it is not allowed to read. Requests without Origin
 * (curl, scripts, same-origin navigation) pass.
 */
export function corsHeaders(request: IncomingMessage, allowedOrigins: readonly string[], ownOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin
  if (!origin || ownOrigins.includes(origin)) return {}
  if (!allowedOrigins.includes(origin)) {
    throw new HttpError(403, 'forbidden-origin', `Origin ${origin} is not allowed. Add it to allowedOrigins in the settings to let that page connect.`)
  }
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  }
}
