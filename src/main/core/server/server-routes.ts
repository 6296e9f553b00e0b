// Every route the server answers besides the JSON API (whose routes are api-contract.ts's declarations), declared
// once: method, path, who may call it, and the schemas its input is validated with. The server routes requests by
// this table (server-route-handlers.ts gives each entry its handler, checked complete by the type checker) and the OpenAPI
// description (openapi.ts) is generated from it and from api-contract.ts, so neither can name a route the other
// does not have.
import { z } from 'zod'
import { SUBSCRIPTION, type HttpMethod } from '../../../shared/api-contract'
import type { Access } from '../../../shared/integration-keys'
import { BODY_CHARS, MAX_FOLLOWED_CONVERSATIONS } from '../../../shared/limits'
import { exportQuery } from '../../../shared/review'
import { chatRequest } from '../../../shared/schemas'
import { chatCompletionRequest } from './openai/chat-request'

/** What a route answers on success. */
export type RouteResponse = 'json' | 'sse' | 'sse-or-json' | 'file'

export interface ServerRoute {
  method: HttpMethod
  /** With `{name}` for each path parameter. */
  path: string
  summary: string
  description: string
  /** 'public': no credential at all. Otherwise as api-contract.ts's access; `{ scopes: [] }` is any credential. */
  access: Access | 'public'
  /** More than `access` in some cases (a conversation id needs 'read' too): said in words, checked by the handler. */
  accessNote?: string
  /** Whether the console's own token is accepted (default true): the OpenAI-compatible routes take keys only. */
  consoleToken?: boolean
  /** Query parameters the handler validates with this schema (`token` aside, which every route takes). */
  query?: z.ZodObject
  body?: z.ZodType
  bodyChars?: number
  status: 200 | 204
  response: RouteResponse
  /** The shape of its errors: ours (`{"error": {code, message}}`) or OpenAI's. */
  errors: 'api' | 'openai'
}

const STREAM: Access = { scopes: ['stream'] }
const READ: Access = SUBSCRIPTION.http.access
const ANY_CREDENTIAL: Access = { scopes: [] }

/** `GET /chat/stream`'s query: the fields of the chat request (same schemas), named as in a URL. */
export const chatQuery = z.object({
  message: chatRequest.shape.message,
  conversation_id: chatRequest.shape.conversationId,
  source: chatRequest.shape.source,
})

export const followQuery = z.object({
  format: z
    .enum(['text', 'json'], { message: 'format must be "text" or "json".' })
    .optional()
    .describe('"json": each event as one JSON `data:` line'),
})

export const multiFollowQuery = z.object({
  conversations: z
    .string({ message: `conversations is required: a comma-separated list of up to ${MAX_FOLLOWED_CONVERSATIONS} conversation ids` })
    .regex(/^\s*\d{1,15}\s*(,\s*\d{1,15}\s*)*$/, 'conversations must be conversation ids separated by commas, e.g. 1,2,3')
    .describe(`Comma-separated conversation ids, up to ${MAX_FOLLOWED_CONVERSATIONS}.`),
})

const CHAT_STREAM =
  "Starts a new conversation (or continues one) with the customer's message and streams Gemini's draft reply: each chunk of text an unnamed `data:` event, metadata as named events (`meta`, `sources`, `usage`, `error`, `end`), then `data: [DONE]`. Resumes with `Last-Event-ID`."

export const SERVER_ROUTES = {
  health: {
    method: 'GET',
    path: '/health',
    summary: 'Whether the server is up',
    description: 'Answers `{"status":"ok"}`; needs no credential and reveals nothing else.',
    access: 'public',
    status: 200,
    response: 'json',
    errors: 'api',
  },
  chatStreamGet: {
    method: 'GET',
    path: '/chat/stream',
    summary: 'Draft a reply, streamed (message in the URL)',
    description: CHAT_STREAM,
    access: STREAM,
    accessNote: 'With conversation_id, or to resume a reply another caller started, the key needs "read" too.',
    query: chatQuery,
    status: 200,
    response: 'sse',
    errors: 'api',
  },
  chatStreamPost: {
    method: 'POST',
    path: '/chat/stream',
    summary: 'Draft a reply, streamed (message in a JSON body)',
    description: CHAT_STREAM,
    access: STREAM,
    accessNote: 'With conversationId, or to resume a reply another caller started, the key needs "read" too.',
    body: chatRequest,
    bodyChars: BODY_CHARS.chat,
    status: 200,
    response: 'sse',
    errors: 'api',
  },
  followConversation: {
    method: 'GET',
    path: SUBSCRIPTION.http.path,
    summary: "Follow a conversation's drafts live",
    description:
      'Every draft of the conversation as it streams, whoever started it, with no `[DONE]`: the stream stays open for the next draft. Resumes with `Last-Event-ID`.',
    access: READ,
    query: followQuery,
    status: 200,
    response: 'sse',
    errors: 'api',
  },
  followConversations: {
    method: 'GET',
    path: '/events',
    summary: 'Follow several conversations on one stream',
    description:
      'One stream for several conversations (browsers allow only six connections per origin over HTTP/1.1). Each event is one unnamed `data:` line of JSON `{"conversationId","messageId","event"}`; a `ready` event first names the conversations. Every id encodes each conversation\'s position, so a reconnect with `Last-Event-ID` resumes every one exactly.',
    access: READ,
    query: multiFollowQuery,
    status: 200,
    response: 'sse',
    errors: 'api',
  },
  openAiChatCompletions: {
    method: 'POST',
    path: '/v1/chat/completions',
    summary: 'OpenAI-compatible Chat Completions',
    description:
      "OpenAI's Chat Completions wire format, with and without `stream: true`. The messages become a conversation saved under the key's name; the draft is the same grounded draft as everywhere else. Errors are in OpenAI's shape.",
    access: STREAM,
    accessNote: 'With metadata.conversation_id the key needs "read" too. Integration keys only: the console\'s token is refused.',
    consoleToken: false,
    body: chatCompletionRequest,
    bodyChars: BODY_CHARS.chatCompletion,
    status: 200,
    response: 'sse-or-json',
    errors: 'openai',
  },
  openAiModels: {
    method: 'GET',
    path: '/v1/models',
    summary: 'OpenAI-compatible model list',
    description: 'One model: the Gemini model the console drafts with.',
    access: STREAM,
    accessNote: "Integration keys only: the console's token is refused.",
    consoleToken: false,
    status: 200,
    response: 'json',
    errors: 'openai',
  },
  exportConversations: {
    method: 'GET',
    path: '/api/export',
    summary: 'Export conversations (streamed)',
    description:
      'The conversations named by `ids`, or else those matching the filter (`from`, `to`, `status`, `source`, `tag`, `feedback`, `model`, `usedReply`, `q`; all of them without any), as `format=json` (a versioned document that POST /api/import reads back), `csv` (one row per message) or `markdown`, streamed as a download.',
    access: { scopes: ['export'] },
    query: exportQuery,
    status: 200,
    response: 'file',
    errors: 'api',
  },
  openApi: {
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'This description',
    description: 'The OpenAPI 3.1 description of the whole local API, generated from the declarations the server routes and validates by.',
    access: ANY_CREDENTIAL,
    status: 200,
    response: 'json',
    errors: 'api',
  },
} as const satisfies Record<string, ServerRoute>

export type ServerRouteId = keyof typeof SERVER_ROUTES
export const SERVER_ROUTE_IDS = Object.keys(SERVER_ROUTES) as ServerRouteId[]

interface PathEntry {
  pattern: RegExp
  names: string[]
  byMethod: Map<string, ServerRouteId>
}

const BY_PATH: PathEntry[] = (() => {
  const byPath = new Map<string, PathEntry>()
  for (const id of SERVER_ROUTE_IDS) {
    const route: ServerRoute = SERVER_ROUTES[id]
    let entry = byPath.get(route.path)
    if (!entry) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)
      entry = { pattern: new RegExp(`^${route.path.replace(/\./g, '\\.').replace(/\{\w+\}/g, '([^/]+)')}$`), names, byMethod: new Map() }
      byPath.set(route.path, entry)
    }
    entry.byMethod.set(route.method, id)
  }
  return [...byPath.values()]
})()

export type RouteMatch =
  | { kind: 'route'; id: ServerRouteId; route: ServerRoute; params: Map<string, string> }
  /** The path is one of ours, the method is not: answer 405 with these. */
  | { kind: 'method-not-allowed'; allowed: string[]; route: ServerRoute }

export function matchServerRoute(method: string | undefined, pathname: string): RouteMatch | undefined {
  for (const entry of BY_PATH) {
    const match = pathname.match(entry.pattern)
    if (!match) continue
    const id = entry.byMethod.get(method ?? '')
    const first = SERVER_ROUTES[[...entry.byMethod.values()][0] as ServerRouteId] as ServerRoute
    if (!id) return { kind: 'method-not-allowed', allowed: [...entry.byMethod.keys()], route: first }
    return { kind: 'route', id, route: SERVER_ROUTES[id], params: new Map(entry.names.map((name, i) => [name, match[i + 1] as string])) }
  }
  return undefined
}
