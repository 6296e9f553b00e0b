// `GET /api/openapi.json`: an OpenAPI 3.1 description of the whole local API, generated from the declarations the
// server routes and validates by: the JSON API's methods (api-contract.ts: argument schemas, where each argument
// travels, status, access) and the other routes (server-routes.ts). Schemas are the same zod schemas, turned into
// JSON Schema (2020-12, OpenAPI 3.1's dialect) by z.toJSONSchema, so the description cannot drift from what is
// accepted. Built once per process: the declarations do not change while it runs.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { API, API_METHODS, type ApiMethod, type RestRoute } from '../../../shared/api-contract'
import type { Access } from '../../../shared/integration-keys'
import { sendJson } from './http-errors'
import type { RouteContext } from './route-context'
import { SERVER_ROUTE_IDS, SERVER_ROUTES, type ServerRoute } from './server-routes'

type JsonSchema = Record<string, unknown>

export interface Operation {
  operationId: string
  summary: string
  description?: string
  tags: string[]
  parameters?: Array<{ name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema; description?: string }>
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> }
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }>; headers?: Record<string, unknown> }>
  security: Array<Record<string, string[]>>
  'x-access': { console: boolean; scopes: string[] | null; note?: string }
}

export interface OpenApiDocument {
  openapi: '3.1.0'
  info: { title: string; version: string; description: string }
  paths: Record<string, Record<string, Operation>>
  components: Record<string, unknown>
}

/** The same zod schema as JSON Schema, describing what a client may send (before defaults and transforms). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema
  return rest
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
}

const OPENAI_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        message: { type: 'string' },
        type: { type: 'string' },
        param: { type: ['string', 'null'] },
        code: { type: ['string', 'null'] },
      },
      required: ['message', 'type', 'param', 'code'],
    },
  },
  required: ['error'],
}

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } }

function errorResponses(shape: 'api' | 'openai', isPublic: boolean): Operation['responses'] {
  const schema = { $ref: shape === 'api' ? '#/components/schemas/Error' : '#/components/schemas/OpenAiError' }
  const content = { 'application/json': { schema } }
  if (isPublic) return { '4XX': { description: 'Refused (bad Host, wrong method).', content } }
  return {
    '401': { description: 'No credential, or one that is not valid (a revoked key).', content },
    '403': { description: 'Bad Host or Origin, or a caller without the access this needs (see x-access).', content },
    '429': { description: 'Too many requests or open streams for the key, or for the server.', content, headers: RETRY_AFTER },
    '4XX': { description: 'Invalid input, unknown conversation, a conflicting draft, a body too large or not JSON.', content },
    '5XX': { description: 'Closing, storage full, or an internal error.', content },
  }
}

function security(access: Access | 'public', consoleToken: boolean): Pick<Operation, 'security' | 'x-access'> {
  if (access === 'public') return { security: [], 'x-access': { console: true, scopes: null, note: 'No credential needed.' } }
  // OpenAPI 3.1 lets a non-OAuth scheme list the roles it needs: the integration-key scopes, or "console".
  const roles = access === 'console' ? ['console'] : [...access.scopes]
  const schemes: Array<Record<string, string[]>> = consoleToken ? [{ bearer: roles }, { tokenQuery: roles }] : [{ bearer: roles }]
  return { security: schemes, 'x-access': { console: consoleToken, scopes: access === 'console' ? null : [...access.scopes] } }
}

const tagOf = (path: string): string =>
  path.startsWith('/v1/') ? 'OpenAI-compatible' : path.startsWith('/api/') ? 'JSON API' : path === '/health' ? 'Health' : 'Streams'

function pathParameters(path: string, schemaOf: (name: string) => JsonSchema): NonNullable<Operation['parameters']> {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1] as string,
    in: 'path' as const,
    required: true,
    schema: schemaOf(m[1] as string),
  }))
}

function queryParameters(schema: JsonSchema): NonNullable<Operation['parameters']> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((schema.required ?? []) as string[])
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property
    return { name, in: 'query' as const, required: required.has(name), schema: rest, ...(typeof description === 'string' ? { description } : {}) }
  })
}

/** One operation for one method and path of the JSON API; several methods share one when fixed body fields tell them apart. */
function apiOperation(candidates: Array<{ method: ApiMethod; route: RestRoute }>): Operation {
  const [first] = candidates as [{ method: ApiMethod; route: RestRoute }]
  const { route } = first
  const items = (method: ApiMethod): z.ZodType[] => API[method].args.def.items as unknown as z.ZodType[]
  const parameters = pathParameters(route.path, (name) => jsonSchemaOf(items(first.method)[route.args.indexOf(`path:${name}`)] as z.ZodType))
  route.args.forEach((place, i) => {
    const schema = items(first.method)[i] as z.ZodType
    if (place === 'query') parameters.push(...queryParameters(jsonSchemaOf(schema)))
    else if (place.startsWith('query:'))
      parameters.push({ name: place.slice('query:'.length), in: 'query', required: false, schema: jsonSchemaOf(schema) })
  })
  const bodies = candidates
    .map(({ method, route: declared }) => bodySchema(declared, items(method)))
    .filter((b): b is { schema: JsonSchema; required: boolean } => !!b)
  const operation: Operation = {
    operationId: candidates.map(({ method }) => method).join('_or_'),
    summary: candidates.map(({ method }) => method).join(' / '),
    description:
      candidates.length > 1 ? `One of ${candidates.map(({ method }) => method).join(', ')}, told apart by the body's fixed fields.` : undefined,
    tags: [tagOf(route.path)],
    ...(parameters.length > 0 ? { parameters } : {}),
    responses: { ...successResponse(route), ...errorResponses('api', false) },
    ...security(route.access, true),
  }
  if (bodies.length > 0) {
    const schema = bodies.length === 1 ? (bodies[0] as { schema: JsonSchema }).schema : { oneOf: bodies.map((b) => b.schema) }
    operation.requestBody = { required: bodies.some((b) => b.required), content: { 'application/json': { schema } } }
  }
  if (operation.description === undefined) delete operation.description
  return operation
}

function bodySchema(route: RestRoute, items: z.ZodType[]): { schema: JsonSchema; required: boolean } | undefined {
  const whole = route.args.findIndex((place) => place === 'body' || place === 'body?')
  if (whole >= 0) return { schema: jsonSchemaOf(items[whole] as z.ZodType), required: route.args[whole] === 'body' }
  const properties: Record<string, JsonSchema> = {}
  route.args.forEach((place, i) => {
    if (place.startsWith('body:')) properties[place.slice('body:'.length)] = jsonSchemaOf(items[i] as z.ZodType)
  })
  for (const [name, value] of Object.entries(route.fixed ?? {})) properties[name] = { const: value }
  if (Object.keys(properties).length === 0) return undefined
  return { schema: { type: 'object', properties, required: Object.keys(properties), additionalProperties: false }, required: true }
}

function successResponse(route: RestRoute): Operation['responses'] {
  if (route.status === 204) return { '204': { description: 'Done; no body.' } }
  if (route.response === 'file') {
    return {
      [route.status]: {
        description: 'The transcript as a file (Content-Disposition: attachment).',
        content: { 'text/markdown': { schema: { type: 'string' } }, 'application/json': { schema: {} } },
      },
    }
  }
  return {
    [route.status]: {
      description: 'The result, as JSON (see the API type in src/shared/api-contract.ts).',
      content: { 'application/json': { schema: {} } },
    },
  }
}

function serverOperation(id: string, route: ServerRoute): Operation {
  const parameters = [
    ...pathParameters(route.path, () => ({ type: 'integer', minimum: 1 })),
    ...(route.query ? queryParameters(jsonSchemaOf(route.query)) : []),
  ]
  const sse = { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events' } } }
  const json = { 'application/json': { schema: {} } }
  const file = { 'application/json': { schema: {} }, 'text/csv': { schema: { type: 'string' } }, 'text/markdown': { schema: { type: 'string' } } }
  const content = route.response === 'sse' ? sse : route.response === 'json' ? json : route.response === 'file' ? file : { ...json, ...sse }
  const access = security(route.access, route.consoleToken ?? true)
  if (route.accessNote) access['x-access'].note = route.accessNote
  return {
    operationId: id,
    summary: route.summary,
    description: route.description,
    tags: [tagOf(route.path)],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body) } } } } : {}),
    responses: {
      [route.status]: { description: route.response === 'sse-or-json' ? 'JSON, or with `stream: true` Server-Sent Events.' : 'Success.', content },
      ...errorResponses(route.errors, route.access === 'public'),
    },
    ...access,
  }
}

function build(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {}
  const at = (path: string): Record<string, Operation> => (paths[path] ??= {})
  const grouped = new Map<string, Array<{ method: ApiMethod; route: RestRoute }>>()
  for (const method of API_METHODS) {
    const route: RestRoute = API[method].http
    const key = `${route.method} ${route.path}`
    grouped.set(key, [...(grouped.get(key) ?? []), { method, route }])
  }
  for (const candidates of grouped.values()) {
    const { route } = candidates[0] as { route: RestRoute }
    at(route.path)[route.method.toLowerCase()] = apiOperation(candidates)
  }
  for (const id of SERVER_ROUTE_IDS) {
    const route: ServerRoute = SERVER_ROUTES[id]
    at(route.path)[route.method.toLowerCase()] = serverOperation(id, route)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Support Console local API',
      version: '1',
      description:
        'The local HTTP API of Support Console on 127.0.0.1: streamed drafts for integrations (SSE), the JSON API the web console uses, and OpenAI-compatible routes. Every route but /health needs a credential: the console\'s own token, or an integration key with the scopes x-access names (in the security requirements as roles; "console" means the console\'s own session only).',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: "`Authorization: Bearer <the console's token or an integration key (sck_…)>`" },
        tokenQuery: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description: 'The same credential in the query string, where headers cannot be set (EventSource).',
        },
      },
      schemas: { Error: ERROR_SCHEMA, OpenAiError: OPENAI_ERROR_SCHEMA },
    },
  }
}

let built: OpenApiDocument | undefined

export function openApiDocument(): OpenApiDocument {
  built ??= build()
  return built
}

/** The route handler (server-routes.ts's `openApi`). */
export function serveOpenApi(context: RouteContext, _request: IncomingMessage, response: ServerResponse): void {
  sendJson(response, 200, openApiDocument(), context.cors)
}
