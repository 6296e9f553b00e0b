// The handler of each route in server-routes.ts, and the dispatch that authorizes a request by its route's
// declaration before the handler runs. Keyed by the same ids, so a declared route without a handler (or a handler
// without a declaration) does not compile: the routes the server answers are exactly the ones it describes.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { authorize } from './access'
import { chatStream, followConversation } from './chat-routes'
import { exportConversations } from './export-route'
import { HttpError } from './http-errors'
import { followConversations } from './multi-events'
import { chatCompletions, models } from './openai/routes'
import { serveOpenApi } from './openapi'
import type { RouteContext } from './route-context'
import { SERVER_ROUTES, type RouteMatch, type ServerRouteId } from './server-routes'

export interface RouteHttp {
  request: IncomingMessage
  response: ServerResponse
  url: URL
  params: Map<string, string>
}

type PublicHandler = (http: RouteHttp) => void
type Handler = (http: RouteHttp, context: RouteContext) => void | Promise<void>
/** A public route runs before anyone is identified, so it gets no context (and cannot use the core). */
type HandlerFor<R> = R extends { access: 'public' } ? PublicHandler : Handler

const HANDLERS: { [K in ServerRouteId]: HandlerFor<(typeof SERVER_ROUTES)[K]> } = {
  health: ({ response }) => {
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end('{"status":"ok"}')
  },
  chatStreamGet: ({ request, response, url }, context) => chatStream(context, request, response, url),
  chatStreamPost: ({ request, response, url }, context) => chatStream(context, request, response, url),
  followConversation: ({ request, response, url, params }, context) =>
    followConversation(context, request, response, url, params.get('id') as string),
  followConversations: ({ request, response, url }, context) => followConversations(context, request, response, url),
  openAiChatCompletions: ({ request, response }, context) => chatCompletions(context, request, response),
  openAiModels: ({ request, response }, context) => models(context, request, response),
  exportConversations: ({ request, response, url }, context) => exportConversations(context, request, response, url),
  openApi: ({ request, response }, context) => serveOpenApi(context, request, response),
}

export const methodNotAllowed = (allowed: readonly string[]): HttpError =>
  new HttpError(405, 'method-not-allowed', `Use ${allowed.join(', ').replace(/, (\w+)$/, ' or $1')}.`, { Allow: allowed.join(', ') })

/** Runs a public route (no credential); false when the match is not one. */
export function handlePublic(match: RouteMatch | undefined, http: Omit<RouteHttp, 'params'>): boolean {
  if (match?.route.access !== 'public') return false
  if (match.kind === 'method-not-allowed') throw methodNotAllowed(match.allowed)
  ;(HANDLERS[match.id] as PublicHandler)({ ...http, params: match.params })
  return true
}

/** Authorizes the identified caller by the route's declaration, then runs its handler. */
export async function handleDeclared(match: RouteMatch, http: Omit<RouteHttp, 'params'>, context: RouteContext): Promise<void> {
  if (match.kind === 'method-not-allowed') throw methodNotAllowed(match.allowed)
  const { route } = match
  if (route.access === 'public') throw new Error(`public route ${match.id} reached the authenticated dispatch`)
  if (context.caller.kind === 'console' && route.consoleToken === false) {
    throw new HttpError(
      403,
      'forbidden',
      'The OpenAI-compatible routes take an integration key, not the console\'s own token: tools keep their API key in their own settings, and a key can be revoked on its own and cannot change anything. Create one with the "stream" scope in Settings → Integrations (or POST /api/integration-keys) and use it as the API key.',
    )
  }
  authorize(context.caller, route.access)
  await (HANDLERS[match.id] as Handler)({ ...http, params: match.params }, context)
}
