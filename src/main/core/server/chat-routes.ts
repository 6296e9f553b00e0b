// Streaming routes: start a reply (`/chat/stream`), resume one by Last-Event-ID, or follow a conversation.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { chatRequest, conversationId as conversationIdSchema, describeIssue, type ChatRequest } from '../../../shared/schemas'
import { MAX_MESSAGE_CHARS } from '../../../shared/limits'
import { DraftRequestError } from '../drafting/drafting-service'
import type { Generation } from '../streaming/generation'
import { HttpError } from './http-errors'
import type { RouteContext } from './local-server'
import { readJsonBody } from './request-body'
import { SseConnection } from './sse-connection'
import { DONE, encodeEvent, parseEventId } from './sse-encoding'
import { framesFor } from './sse-frames'

// Characters can take up to 4 bytes in UTF-8, and JSON escapes add some more.
const MAX_BODY_BYTES = MAX_MESSAGE_CHARS * 6 + 4_096

const followPath = /^\/conversations\/([^/]+)\/events$/

export async function handleChat(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  if (url.pathname === '/chat/stream') {
    if (request.method !== 'GET' && request.method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'Use GET or POST.')
    const resumeFrom = request.headers['last-event-id']
    if (resumeFrom !== undefined) resume(context, request, response, String(resumeFrom))
    else await startReply(context, request, response, url)
    return true
  }
  const follow = url.pathname.match(followPath)
  if (follow) {
    if (request.method !== 'GET') throw new HttpError(405, 'method-not-allowed', 'Use GET.')
    followConversation(context, request, response, follow[1] as string)
    return true
  }
  return false
}

async function startReply(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const input = request.method === 'POST' ? await readJsonBody(request, MAX_BODY_BYTES) : queryInput(url)
  const parsed = chatRequest.safeParse(input)
  if (!parsed.success) throw new HttpError(400, 'invalid-input', describeIssue(parsed.error))
  checkCapacity(context)
  const generation = startGeneration(context, parsed.data)
  const sse = openStream(context, request, response)
  pipe(generation, sse, 0, true)
}

function queryInput(url: URL): Record<string, string | undefined> {
  const q = url.searchParams
  return {
    message: q.get('message') ?? undefined,
    conversationId: q.get('conversation_id') ?? undefined,
    source: q.get('source') ?? undefined,
  }
}

function startGeneration(context: RouteContext, input: ChatRequest): Generation {
  try {
    return context.drafting.replyTo(input)
  } catch (error) {
    if (!(error instanceof DraftRequestError)) throw error
    const status = { 'not-found': 404, conflict: 409, 'invalid-input': 400 }[error.code]
    throw new HttpError(status, error.code, error.message)
  }
}

/** A reconnecting client gets what it missed from the same generation; no new generation starts. */
function resume(context: RouteContext, request: IncomingMessage, response: ServerResponse, lastEventId: string): void {
  const position = parseEventId(lastEventId)
  if (!position) throw new HttpError(400, 'invalid-input', 'Last-Event-ID is not one this server sent.')
  const generation = context.hub.find(position.messageId)
  if (generation) {
    if (generation.ended && position.seq >= generation.lastSeq) {
      // Nothing more will come; 204 tells an EventSource to stop reconnecting.
      response.writeHead(204, context.cors).end()
      return
    }
    checkCapacity(context)
    pipe(generation, openStream(context, request, response), position.seq, true)
    return
  }
  const message = context.store.getMessage(position.messageId)
  if (!message) throw new HttpError(404, 'not-found', `There is no reply ${position.messageId} to resume.`)
  // Finished long enough ago that its events were let go: the saved transcript has the whole reply.
  const sse = openStream(context, request, response)
  const error = {
    kind: 'invalid-input',
    retryable: false,
    message: `This reply can no longer be resumed; its saved text is at /api/conversations/${message.conversationId}.`,
  }
  sse.write(encodeEvent({ event: 'error', data: JSON.stringify(error) }) + encodeEvent({ data: DONE }))
  sse.end()
}

function followConversation(context: RouteContext, request: IncomingMessage, response: ServerResponse, rawId: string): void {
  const parsedId = conversationIdSchema.safeParse(rawId)
  if (!parsedId.success) throw new HttpError(400, 'invalid-input', `conversation id ${describeIssue(parsedId.error)}`)
  const conversationId = parsedId.data
  if (!context.store.getConversation(conversationId)) throw new HttpError(404, 'not-found', `Conversation ${conversationId} does not exist.`)
  checkCapacity(context)
  const resumeFrom = parseEventId(request.headers['last-event-id'] as string | undefined)
  const sse = openStream(context, request, response)
  const following = context.hub.follow(conversationId, (generation) => {
    const afterSeq = resumeFrom?.messageId === generation.messageId ? resumeFrom.seq : 0
    pipe(generation, sse, afterSeq, false)
  })
  sse.onClose(following)
}

function checkCapacity(context: RouteContext): void {
  const limit = context.settings().maxConcurrentStreams
  if (context.streams.open >= limit) {
    throw new HttpError(429, 'too-many-streams', `Too many open streams (the limit is ${limit}); try again when one has finished.`, { 'Retry-After': '5' })
  }
}

function openStream(context: RouteContext, request: IncomingMessage, response: ServerResponse): SseConnection {
  const sse = new SseConnection(request, response, context.sseOptions, context.cors)
  context.streams.open++
  sse.onClose(() => context.streams.open--)
  return sse
}

/** Sends a generation's events from `afterSeq` on; a terminal stream closes after `[DONE]`. */
function pipe(generation: Generation, sse: SseConnection, afterSeq: number, terminal: boolean): void {
  const unsubscribe = generation.subscribe(
    (event) => {
      sse.write(framesFor(generation.messageId, event, terminal))
      if (event.type === 'end' && terminal) sse.end()
    },
    { afterSeq },
  )
  sse.onClose(unsubscribe)
}
