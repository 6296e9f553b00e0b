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
export function checkHost(request: IncomingMessage, boundHost: string, authority = request.headers.host): void {
  const name = hostName(authority)
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

export interface RequestTarget {
  /** The path and query on http://localhost: only pathname and searchParams mean anything. */
  url: URL
  /** The host the request names: the target's own authority for an absolute-form target, else the Host header. */
  authority: string | undefined
}

const BAD_TARGET = 'The request target must be a path such as /api/conversations.'

/**
 * The request target as a path. A target is never resolved as a URL reference against a base: `//[` reads as an
 * authority that does not parse (it was a 500), and `//evil.example/api/conversations` as a host and a path, so
 * it was served as /api/conversations. A path that starts with `//` is what no client of this server sends and
 * what reads as another host: a 400, like `*`, `example.com:443` and any other target that is not a path.
 * An absolute-form target (`http://127.0.0.1:8080/health`) is allowed as HTTP/1.1 requires; its authority, not
 * the Host header, is the host the request names (RFC 9112, 3.2.2), so it goes through the same Host check.
 */
export function requestTarget(request: IncomingMessage): RequestTarget {
  const target = request.url ?? '/'
  if (target.startsWith('/') && !target.startsWith('//')) {
    const url = parseUrl(`http://localhost${target}`)
    if (url) return { url, authority: request.headers.host }
  } else if (/^https?:\/\//i.test(target)) {
    const absolute = parseUrl(target)
    const url = absolute && parseUrl(`http://localhost${absolute.pathname}${absolute.search}`)
    if (absolute && url) return { url, authority: absolute.host }
  }
  throw new HttpError(400, 'bad-request', BAD_TARGET)
}

const parseUrl = (text: string): URL | undefined => (URL.canParse(text) ? new URL(text) : undefined)
