// Where a request may come from: a loopback Host (against DNS rebinding), and only the browser origins the user
// allowed (no wildcard CORS). Who is calling, and what they may do, is access.ts.
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-errors'

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The Host header's name without its port. */
export function hostName(host: string | undefined): string | undefined {
  if (!host) return undefined
  const match = host
    .trim()
    .toLowerCase()
    .match(/^(\[[^\]]+\]|[^:]+)(?::\d+)?$/)
  return match?.[1]
}

/** A request must name this machine; another name means a page on some domain resolved to us (DNS rebinding). */
export function checkHost(request: IncomingMessage, boundHost: string): void {
  const name = hostName(request.headers.host)
  const bound = boundHost.includes(':') ? `[${boundHost}]` : boundHost.toLowerCase()
  if (name && (loopbackNames.has(name) || name === bound)) return
  throw new HttpError(403, 'forbidden-host', 'This server answers only requests addressed to 127.0.0.1 or localhost.')
}

/**
 * CORS headers for an allowed Origin. A browser request from any other origin is refused outright, so a web
 * page cannot even start a (billable) generation it is not allowed to read. Requests without Origin
 * (curl, scripts, same-origin navigation) pass.
 */
export function corsHeaders(request: IncomingMessage, allowedOrigins: readonly string[], ownOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin
  if (!origin || !isForeignOrigin(request, ownOrigins)) return {}
  if (!allowedOrigins.includes(origin)) {
    throw new HttpError(
      403,
      'forbidden-origin',
      `Origin ${origin} is not allowed. Add it to allowedOrigins in the settings to let that page connect.`,
    )
  }
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
    'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  }
}

/**
 * A page on another site sent the request: it has an Origin, and not one of the server's own (the web console's).
 * Such a page, even on an allowed origin, is an integration: it may not use the console's own token (access.ts).
 */
export function isForeignOrigin(request: IncomingMessage, ownOrigins: readonly string[]): boolean {
  const origin = request.headers.origin
  return origin !== undefined && origin !== '' && !ownOrigins.includes(origin)
}
