// The JSON API: the renderer-facing API as REST, for the web console and integrations. The routes are derived
// from the methods' declarations (src/shared/api-contract.ts): each request is shaped into the method's argument
// list (path segments, query, JSON body) and handed to the same API the desktop app reaches over IPC, whose entry
// parses the arguments (checkArguments). Refusals become HTTP statuses by the one table, HTTP_STATUS_OF.
// Each declaration also says who may call it (its `access`): the caller is authorized before its body is read.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ExportedTranscript, SupportConsoleApi } from '../../../shared/api'
import { API, API_METHODS, type ApiMethod, type HttpMethod, type RestRoute } from '../../../shared/api-contract'
import { queryFields } from '../../../shared/review'
import { knownApiError } from '../api/api-errors'
import { allows, authorize, type Caller } from './access'
import { HttpError, httpErrorOf, sendJson } from './http-errors'
import { bodyBytesFor, hasBody, isRecord, readJsonBody } from './request-body'

/** What the routes need of the server's per-request context (route-context.ts's RouteContext has it). */
export interface ApiRouteContext {
  api: SupportConsoleApi
  cors: Record<string, string>
  caller: Caller
}

/** The methods that answer one HTTP method on one path; several when fixed body fields tell them apart. */
type Candidates = { method: ApiMethod; route: RestRoute }[]

interface PathRoute {
  pattern: RegExp
  /** The `{name}`s of the path, in order. */
  names: string[]
  byMethod: Map<HttpMethod, Candidates>
}

/** The declarations grouped by path, in declaration order (which is also the order of the Allow header). */
const ROUTES: PathRoute[] = (() => {
  const byPath = new Map<string, PathRoute>()
  for (const method of API_METHODS) {
    const route: RestRoute = API[method].http
    let entry = byPath.get(route.path)
    if (!entry) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)
      // Declared paths are letters, slashes and {names}: nothing in them needs escaping.
      const pattern = new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}$`)
      entry = { pattern, names, byMethod: new Map() }
      byPath.set(route.path, entry)
    }
    entry.byMethod.set(route.method, [...(entry.byMethod.get(route.method) ?? []), { method, route }])
  }
  return [...byPath.values()]
})()

export async function handleApi(context: ApiRouteContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  for (const route of ROUTES) {
    const match = url.pathname.match(route.pattern)
    if (!match) continue
    const candidates = route.byMethod.get(request.method as HttpMethod)
    if (!candidates) {
      const allowed = [...route.byMethod.keys()].join(', ')
      throw new HttpError(405, 'method-not-allowed', `Use ${allowed.replace(/, (\w+)$/, ' or $1')}.`, { Allow: allowed })
    }
    const params = new Map(route.names.map((name, i) => [name, match[i + 1] as string]))
    // A caller allowed none of the methods on this route is refused before its body is read.
    authorizeAny(context.caller, candidates)
    try {
      const body = await readBody(request, candidates)
      const { method, route: declared } = pick(candidates, body)
      authorize(context.caller, declared.access)
      refuseUnknownFields(declared, body)
      const args = declared.args.map((place) => argumentAt(place, params, url, body))
      const call = context.api[method] as (...a: unknown[]) => Promise<unknown>
      await answer(context, response, declared, await call.apply(context.api, args))
    } catch (error) {
      const apiError = knownApiError(error)
      if (apiError) throw httpErrorOf(apiError)
      throw error
    }
    return true
  }
  return false
}

/** Refuses the caller unless it may call at least one of the candidates (the first one's refusal says why). */
function authorizeAny(caller: Caller, candidates: Candidates): void {
  if (candidates.some(({ route }) => allows(caller, route.access))) return
  for (const { route } of candidates) authorize(caller, route.access)
}

/** The JSON body, if the route takes one: `{}` for an optional body that was not sent (so `curl -X POST` works). */
async function readBody(request: IncomingMessage, candidates: Candidates): Promise<unknown> {
  const places = candidates.flatMap(({ route }) => route.args.filter((place) => place.startsWith('body')))
  if (places.length === 0) return undefined
  const maxChars = Math.max(...candidates.map(({ route }) => route.bodyChars ?? 0))
  if (places.every((place) => place === 'body?') && !hasBody(request)) return {}
  return readJsonBody(request, bodyBytesFor(maxChars))
}

/** The method whose fixed body fields the body carries (role: "customer" or "agent"); the only one when none has any. */
function pick(candidates: Candidates, body: unknown): Candidates[number] {
  const [first] = candidates
  if (!first) throw new Error('a route without methods')
  if (!first.route.fixed) return first
  const fields = Object.keys(first.route.fixed)
  const chosen = candidates.find(({ route }) => isRecord(body) && fields.every((field) => body[field] === route.fixed?.[field]))
  if (chosen) return chosen
  const field = fields[0] as string
  const values = candidates.map(({ route }) => JSON.stringify(route.fixed?.[field]))
  throw new HttpError(400, 'invalid-input', `${field} must be ${values.join(' or ')}`)
}

/** A body of named fields holds those (and the fixed ones) only: a typo is an error, not silently ignored. */
function refuseUnknownFields(route: RestRoute, body: unknown): void {
  const known = new Set([
    ...route.args.filter((place) => place.startsWith('body:')).map((place) => place.slice('body:'.length)),
    ...Object.keys(route.fixed ?? {}),
  ])
  if (known.size === 0 || !isRecord(body)) return
  const unknown = Object.keys(body).find((key) => !known.has(key))
  if (unknown !== undefined) throw new HttpError(400, 'invalid-input', `Unrecognized field "${unknown}": send ${[...known].join(', ')}.`)
}

/** One argument, taken from where the declaration says it travels. */
function argumentAt(place: RestRoute['args'][number], params: Map<string, string>, url: URL, body: unknown): unknown {
  const [where, name] = place.split(':') as [string, string | undefined]
  if (where === 'path') return pathValue(params.get(name as string) as string)
  if (where === 'query') return name === undefined ? queryFields(url.searchParams) : (url.searchParams.get(name) ?? undefined)
  if (name === undefined) return body
  if (!isRecord(body)) throw new HttpError(400, 'invalid-input', 'The body must be a JSON object.')
  return body[name]
}

/** Path segments are text; a segment of digits is the number the API's id arguments take. */
function pathValue(segment: string): unknown {
  return /^\d{1,15}$/.test(segment) ? Number(segment) : segment
}

async function answer(context: ApiRouteContext, response: ServerResponse, route: RestRoute, result: unknown): Promise<void> {
  if (route.status === 204) {
    response.writeHead(204, context.cors).end()
    return
  }
  if (route.response !== 'file') {
    sendJson(response, route.status, result, context.cors)
    return
  }
  const file = result as ExportedTranscript
  const body = Buffer.from(file.content, 'utf8')
  response.writeHead(route.status, {
    ...context.cors,
    'Content-Type': file.mimeType,
    'Content-Length': body.length,
    // The filename is ASCII letters, digits and dashes only (see fileStem), so it needs no quoting rules.
    'Content-Disposition': `attachment; filename="${file.filename}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  response.end(body)
}
