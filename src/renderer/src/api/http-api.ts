// The renderer-facing API over the local HTTP server, for the console served to a browser (`npm run serve`).
// Requests carry the token as a Bearer header; live drafts arrive through an EventSource, which reconnects by
// itself with Last-Event-ID, and the server resumes from there.
import {
  API_ERROR_CODES,
  ApiError,
  type ApiErrorCode,
  type ConversationEvent,
  type Dispose,
  type ExportedTranscript,
  type SupportConsoleApi,
} from '../../../shared/api'
import { API, API_METHODS, apiErrorCodeOf, SUBSCRIPTION, type ApiMethod, type ApiMethods, type RestRoute } from '../../../shared/api-contract'

export interface HttpApiOptions {
  /** Where the server is; default: the page's own origin. */
  baseUrl?: string
  /** Default: the `#token=` fragment of the page's URL (then kept in sessionStorage), or what a reload left there. */
  token?: string
}

export const TOKEN_STORAGE_KEY = 'support-console.token'

// The few browser globals used here, typed structurally: this module also runs under Node in tests (fetch
// only), where none of them exist.
interface EventSourceLike {
  readonly readyState: number
  onmessage: ((message: { data: string }) => void) | null
  onerror: (() => void) | null
  close(): void
}
interface PageGlobals {
  location?: { origin: string; hash: string; pathname: string; search: string }
  history?: { state: unknown; replaceState(data: unknown, unused: string, url: string): void }
  sessionStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void }
  EventSource?: { new (url: string): EventSourceLike; readonly CLOSED: number }
}
const page = globalThis as unknown as PageGlobals

const NO_TOKEN_MESSAGE =
  'This page needs its access link: open the "Web console" link that Support Console printed the first time it started, or the one in web-console-link.txt in its data folder.'

export function createHttpApi(options: HttpApiOptions = {}): SupportConsoleApi {
  const baseUrl = options.baseUrl ?? page.location?.origin
  if (!baseUrl) throw new Error('createHttpApi needs a baseUrl outside a browser page.')
  const token = options.token ?? takeTokenFromPage()

  const url = (path: string, query: Record<string, unknown> = {}): string => {
    const target = new URL(path, baseUrl)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(key, String(value))
    return target.toString()
  }

  async function send(method: string, path: string, init: { query?: Record<string, unknown>; body?: unknown } = {}): Promise<Response> {
    if (!token) throw new ApiError('unavailable', NO_TOKEN_MESSAGE)
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
    if (init.body !== undefined) headers['Content-Type'] = 'application/json'
    let response: Response
    try {
      response = await fetch(url(path, init.query), {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      })
    } catch {
      throw new ApiError('unavailable', 'Support Console is not reachable. Is `npm run serve` still running?')
    }
    if (!response.ok) throw await errorFrom(response)
    return response
  }

  /** One declared method as a request to its route; the server checks the arguments. */
  const request = async (route: RestRoute, args: unknown[]): Promise<unknown> => {
    const response = await send(route.method, ...placeArgs(route, args))
    if (route.status === 204) return undefined
    if (route.response === 'file') return fileFrom(response)
    // Our own server's answer, in the shapes of src/shared.
    return response.json()
  }

  const methods = Object.fromEntries(API_METHODS.map((method: ApiMethod) => [method, (...args: unknown[]) => request(API[method].http, args)]))

  return {
    ...(methods as unknown as ApiMethods),
    onConversationEvents: (conversationId: number, listener: (event: ConversationEvent) => void): Dispose => {
      if (!token) throw new ApiError('unavailable', NO_TOKEN_MESSAGE)
      const path = SUBSCRIPTION.http.path.replace('{id}', encodeURIComponent(String(conversationId)))
      return followEvents(url(path, { ...SUBSCRIPTION.http.query, token }), listener)
    },
  }
}

/** Where each argument goes, as the route declares: into the path, the query string or the JSON body. */
function placeArgs(route: RestRoute, args: unknown[]): [string, { query: Record<string, unknown>; body?: unknown }] {
  let path = route.path
  const query: Record<string, unknown> = {}
  let body: unknown = route.fixed ? { ...route.fixed } : undefined
  route.args.forEach((place, i) => {
    const value = args[i]
    const [where, name] = place.split(':') as [string, string | undefined]
    if (where === 'path') path = path.replace(`{${name}}`, encodeURIComponent(String(value)))
    else if (where === 'query') Object.assign(query, name === undefined ? (value as object) : { [name]: value })
    else if (name === undefined) body = value
    else body = { ...(body as object), [name]: value }
  })
  return [path, { query, body }]
}

/** A download (Content-Disposition names it) as the ExportedTranscript it was made from. */
async function fileFrom(response: Response): Promise<ExportedTranscript> {
  return {
    filename: filenameFrom(response.headers.get('Content-Disposition')) ?? 'transcript',
    mimeType: response.headers.get('Content-Type') ?? 'application/octet-stream',
    content: await response.text(),
  }
}

/**
 * Live events through an EventSource. It reconnects by itself after a network hiccup, sending the last id it
 * saw, and the server replays from there; events seen before (by seq, per draft) are still dropped, so the
 * listener gets each one exactly once.
 */
function followEvents(source: string, listener: (event: ConversationEvent) => void): Dispose {
  const EventSourceClass = page.EventSource
  if (!EventSourceClass) throw new ApiError('unavailable', 'This browser cannot follow live drafts (no EventSource).')
  const events = new EventSourceClass(source)
  const lastSeq = new Map<number, number>()
  events.onmessage = (message) => {
    const parsed = parseConversationEvent(message.data)
    if (!parsed) return
    if ((lastSeq.get(parsed.messageId) ?? 0) >= parsed.event.seq) return
    lastSeq.set(parsed.messageId, parsed.event.seq)
    listener(parsed)
  }
  events.onerror = () => {
    // CONNECTING: it is retrying on its own. CLOSED: the server refused (bad token, deleted conversation).
    if (events.readyState === EventSourceClass.CLOSED) console.warn(`Live updates stopped: the server refused ${new URL(source).pathname}.`)
  }
  return () => events.close()
}

function parseConversationEvent(data: string): ConversationEvent | undefined {
  try {
    const value = JSON.parse(data) as Partial<ConversationEvent> | null
    if (value && typeof value.messageId === 'number' && value.event && typeof value.event.seq === 'number' && typeof value.event.type === 'string') {
      return value as ConversationEvent
    }
  } catch {
    // Not ours (a proxy's page?): ignored, like any event we do not understand.
  }
  return undefined
}

/** The JSON error body the server sends (`{"error":{"code","message"}}`) as an ApiError. */
async function errorFrom(response: Response): Promise<ApiError> {
  let code: string | undefined
  let message: string | undefined
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } }
    if (typeof body.error?.code === 'string') code = body.error.code
    if (typeof body.error?.message === 'string') message = body.error.message
  } catch {
    // Not JSON: described by its status below.
  }
  if (response.status === 401) return new ApiError('unavailable', NO_TOKEN_MESSAGE)
  if (code && (API_ERROR_CODES as readonly string[]).includes(code)) return new ApiError(code as ApiErrorCode, message ?? code)
  return new ApiError(codeForStatus(response.status), message ?? `The server answered ${response.status} ${response.statusText}.`)
}

/** The server's status as a code: the inverse of its table (HTTP_STATUS_OF), else by the status's class. */
function codeForStatus(status: number): ApiErrorCode {
  const known = apiErrorCodeOf(status)
  if (known) return known
  // The server's own refusals outside the API's codes: 403 (origin) and 429 (too many streams) pass with time or settings.
  if (status === 429 || status === 403) return 'unavailable'
  if (status >= 400 && status < 500) return 'invalid-input'
  return 'internal'
}

function filenameFrom(disposition: string | null): string | undefined {
  return disposition?.match(/filename="([^"]+)"/)?.[1]
}

/**
 * The token from the `#token=` fragment (moved to sessionStorage and removed from the address bar, so it is
 * not left in history or on screen), else the one a reload of this tab left in sessionStorage.
 */
function takeTokenFromPage(): string | undefined {
  const location = page.location
  if (!location) return undefined
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''))
  const fromLink = fragment.get('token')?.trim()
  const storage = sessionStorageOrUndefined()
  if (fromLink) {
    storage?.setItem(TOKEN_STORAGE_KEY, fromLink)
    fragment.delete('token')
    const rest = fragment.toString()
    page.history?.replaceState(page.history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`)
    return fromLink
  }
  return storage?.getItem(TOKEN_STORAGE_KEY) ?? undefined
}

// Storage can be switched off (privacy settings); the console then works until the tab is reloaded.
function sessionStorageOrUndefined(): PageGlobals['sessionStorage'] {
  try {
    return page.sessionStorage
  } catch {
    return undefined
  }
}
