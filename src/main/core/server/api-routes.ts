// The JSON API: the renderer-facing API (src/shared/api.ts) as REST, for the web console and integrations.
// Every route calls the same ApiService the desktop app reaches over IPC; this module only maps HTTP to it.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { ApiError, type ApiErrorCode } from '../../../shared/api'
import { MAX_MESSAGE_CHARS } from '../../../shared/limits'
import { conversationId, createConversationInput, exportFormat, listQuery, settingsUpdate } from '../../../shared/schemas'
import { knownApiError, parseInput } from '../api/api-errors'
import { HttpError, sendJson } from './http-errors'
import type { RouteContext } from './local-server'
import { readJsonBody } from './request-body'

const STATUS_OF: Record<ApiErrorCode, number> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
}

// Characters take up to 4 bytes in UTF-8 and JSON escapes up to 6; a little more for the rest of the body.
const bodyLimit = (chars: number): number => chars * 6 + 4_096
const SMALL_BODY_BYTES = bodyLimit(1_000)
const MESSAGE_BODY_BYTES = bodyLimit(MAX_MESSAGE_CHARS * 2)
const SETTINGS_BODY_BYTES = bodyLimit(30_000)

const renameBody = z.object({ title: z.string({ message: 'title is required' }) }).strict()
const messageBody = z
  .object({
    role: z.enum(['customer', 'agent'], { message: 'role must be "customer" or "agent"' }),
    text: z.string({ message: 'text is required' }),
  })
  .strict()

interface Call {
  context: RouteContext
  request: IncomingMessage
  response: ServerResponse
  url: URL
  /** The conversation id from the path, validated. */
  id: number
}

type Handler = (call: Call) => Promise<void>

interface Route {
  path: RegExp
  methods: Partial<Record<'GET' | 'POST' | 'PATCH' | 'DELETE', Handler>>
}

const ROUTES: Route[] = [
  {
    path: /^\/api\/conversations$/,
    methods: {
      GET: async ({ context, response, url }) => {
        const query = parseInput(listQuery, Object.fromEntries(url.searchParams))
        sendJson(response, 200, await context.api.listConversations(query), context.cors)
      },
      POST: async ({ context, request, response }) => {
        const input = parseInput(createConversationInput, (await readOptionalJsonBody(request, SMALL_BODY_BYTES)) ?? {})
        sendJson(response, 201, await context.api.createConversation(input), context.cors)
      },
    },
  },
  {
    path: /^\/api\/conversations\/([^/]+)$/,
    methods: {
      GET: async ({ context, response, id }) => sendJson(response, 200, await context.api.getConversation(id), context.cors),
      PATCH: async ({ context, request, response, id }) => {
        const { title } = parseInput(renameBody, await readJsonBody(request, SMALL_BODY_BYTES))
        sendJson(response, 200, await context.api.renameConversation(id, title), context.cors)
      },
      DELETE: async ({ context, response, id }) => {
        await context.api.deleteConversation(id)
        noContent(context, response)
      },
    },
  },
  {
    path: /^\/api\/conversations\/([^/]+)\/messages$/,
    methods: {
      POST: async ({ context, request, response, id }) => {
        const { role, text } = parseInput(messageBody, await readJsonBody(request, MESSAGE_BODY_BYTES))
        const message = role === 'customer' ? await context.api.addCustomerMessage(id, text) : await context.api.useReply(id, text)
        sendJson(response, 201, message, context.cors)
      },
    },
  },
  {
    path: /^\/api\/conversations\/([^/]+)\/draft$/,
    methods: {
      // 202: the draft has started; its text arrives on /conversations/{id}/events.
      POST: async ({ context, response, id }) => sendJson(response, 202, await context.api.startDraft(id), context.cors),
    },
  },
  {
    path: /^\/api\/conversations\/([^/]+)\/draft\/stop$/,
    methods: {
      POST: async ({ context, response, id }) => {
        await context.api.stopDraft(id)
        noContent(context, response)
      },
    },
  },
  {
    path: /^\/api\/conversations\/([^/]+)\/export$/,
    methods: {
      GET: async ({ context, response, url, id }) => {
        const format = parseInput(exportFormat, url.searchParams.get('format') ?? 'markdown', 'format')
        const file = await context.api.exportConversation(id, format)
        const body = Buffer.from(file.content, 'utf8')
        response.writeHead(200, {
          ...context.cors,
          'Content-Type': file.mimeType,
          'Content-Length': body.length,
          // The filename is ASCII letters, digits and dashes only (see fileStem), so it needs no quoting rules.
          'Content-Disposition': `attachment; filename="${file.filename}"`,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
        })
        response.end(body)
      },
    },
  },
  {
    path: /^\/api\/settings$/,
    methods: {
      GET: async ({ context, response }) => sendJson(response, 200, await context.api.getSettings(), context.cors),
      PATCH: async ({ context, request, response }) => {
        const update = parseInput(settingsUpdate, await readJsonBody(request, SETTINGS_BODY_BYTES))
        sendJson(response, 200, await context.api.updateSettings(update), context.cors)
      },
    },
  },
]

export async function handleApi(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  for (const route of ROUTES) {
    const match = url.pathname.match(route.path)
    if (!match) continue
    const method = request.method as keyof Route['methods']
    const handler = route.methods[method]
    if (!handler) {
      const allowed = Object.keys(route.methods).join(', ')
      throw new HttpError(405, 'method-not-allowed', `Use ${allowed.replace(/, (\w+)$/, ' or $1')}.`, { Allow: allowed })
    }
    try {
      const id = match[1] === undefined ? 0 : parseInput(conversationId, match[1], 'conversation id')
      await handler({ context, request, response, url, id })
    } catch (error) {
      const apiError = knownApiError(error)
      if (apiError) throw toHttpError(apiError)
      throw error
    }
    return true
  }
  return false
}

export function toHttpError(error: ApiError): HttpError {
  return new HttpError(STATUS_OF[error.code], error.code, error.message)
}

function noContent(context: RouteContext, response: ServerResponse): void {
  response.writeHead(204, context.cors).end()
}

/** A JSON body, or undefined when the request has none (so `curl -X POST` works for "new conversation"). */
async function readOptionalJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const length = request.headers['content-length']
  const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  return hasBody ? readJsonBody(request, maxBytes) : undefined
}
