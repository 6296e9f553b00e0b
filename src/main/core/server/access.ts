// Who is calling, and what they may do. Two kinds of caller: the console's own session (its token: the web
// console, or a script of the user's that holds it) may do everything; an integration presents one of the named
// keys created in Settings and may do only what its scopes allow, never change settings or keys.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Access, IntegrationKeyView } from '../../../shared/integration-keys'
import { HttpError } from './http-errors'

export type Caller = { kind: 'console' } | { kind: 'integration'; key: IntegrationKeyView }

export interface Credentials {
  consoleToken: string
  /** The key a presented secret belongs to (its last-used time updated), or undefined. */
  authenticateKey(secret: string): IntegrationKeyView | undefined
}

// Comparing digests keeps the comparison constant-time whatever the lengths.
const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

export function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization
  if (header) return header.match(/^Bearer\s+(.+)$/i)?.[1]?.trim()
  // EventSource cannot set headers, so it may carry the token in the query string.
  return url.searchParams.get('token') ?? undefined
}

/**
 * The caller a request's credentials name. `foreignOrigin`: a page on another site (an allowed origin) sent it;
 * such a page gets an integration key, never the console's token, so a helpdesk page holding a token in its
 * EventSource URL can never administer the console.
 */
export function identify(request: IncomingMessage, url: URL, credentials: Credentials, foreignOrigin: boolean): Caller {
  const presented = presentedToken(request, url)
  if (presented === undefined) {
    throw new HttpError(401, 'unauthorized', 'A token is required: send "Authorization: Bearer <token>" or add ?token=<token>.', {
      'WWW-Authenticate': 'Bearer',
    })
  }
  if (timingSafeEqual(digest(presented), digest(credentials.consoleToken))) {
    if (foreignOrigin) {
      throw new HttpError(
        403,
        'forbidden',
        "The console's own token cannot be used from another site's page: create an integration key for that page in Settings → Integrations (or POST /api/integration-keys) and use it instead.",
      )
    }
    return { kind: 'console' }
  }
  const key = credentials.authenticateKey(presented)
  if (key) return { kind: 'integration', key }
  throw new HttpError(401, 'unauthorized', 'The token is not valid (an integration key may have been revoked).', {
    'WWW-Authenticate': 'Bearer error="invalid_token"',
  })
}

/** Whether the caller has what the route needs. */
export function allows(caller: Caller, access: Access): boolean {
  if (caller.kind === 'console') return true
  return access !== 'console' && access.scopes.every((scope) => caller.key.scopes.includes(scope))
}

/** Refuses a caller that lacks what the route needs. */
export function authorize(caller: Caller, access: Access): void {
  if (caller.kind === 'console') return
  if (access === 'console') {
    throw new HttpError(
      403,
      'forbidden',
      `The integration key "${caller.key.name}" cannot do this: only the console's own session may see or change settings, manage integration keys, or create, change or delete conversations.`,
    )
  }
  const missing = access.scopes.filter((scope) => !caller.key.scopes.includes(scope))
  if (missing.length > 0) {
    throw new HttpError(
      403,
      'forbidden',
      `The integration key "${caller.key.name}" lacks the ${missing.join(' and ')} scope${missing.length > 1 ? 's' : ''} this needs.`,
    )
  }
}

/** The source an integration's drafts are saved under: its key's name, whatever the request says. */
export function sourceOf<T>(caller: Caller, requested: T): T | string {
  return caller.kind === 'integration' ? caller.key.name : requested
}
