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
import { DONE, encodeEvent, encodeFrames, parseEventId, type SseEvent, type StreamPosition } from './sse-encoding'
import { jsonFrames, textFrames } from './sse-frames'
import type { GenerationEvent } from '../../../shared/generation-events'

// Characters can take up to 4 bytes in UTF-8, and JSON escapes add some more.
const MAX_BODY_BYTES = MAX_MESSAGE_CHARS * 6 + 4_096

const followPath = /^\/conversations\/([^/]+)\/events$/

/** The client that asked for a reply: its stream ends with the reply, and while it listens the reply runs. */
const REQUESTER = { terminal: true, audience: true }

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
    followConversation(context, request, response, url, follow[1] as string)
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
  pipe(generation, sse, { seq: 0 }, requesterFrames, REQUESTER)
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
    if (generation.ended && position.piece === undefined && position.seq >= generation.lastSeq) {
      // Nothing more will come; 204 tells an EventSource to stop reconnecting.
      response.writeHead(204, context.cors).end()
      return
    }
    checkCapacity(context)
    pipe(generation, openStream(context, request, response), position, requesterFrames, REQUESTER)
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

function followConversation(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL, rawId: string): void {
  const parsedId = conversationIdSchema.safeParse(rawId)
  if (!parsedId.success) throw new HttpError(400, 'invalid-input', `conversation id ${describeIssue(parsedId.error)}`)
  const conversationId = parsedId.data
  const format = url.searchParams.get('format') ?? 'text'
  if (format !== 'text' && format !== 'json') throw new HttpError(400, 'invalid-input', 'format must be "text" or "json".')
  if (!context.store.getConversation(conversationId)) throw new HttpError(404, 'not-found', `Conversation ${conversationId} does not exist.`)
  checkCapacity(context)
  const resumeFrom = parseEventId(request.headers['last-event-id'] as string | undefined)
  const sse = openStream(context, request, response)
  const frames: FrameEncoder = format === 'json' ? jsonFrames : (messageId, event, previous) => textFrames(messageId, event, false, previous)
  // Followers watch; they do not own the draft. A follower that leaves (a closed browser tab) must never stop
  // it: only the client that asked for a reply (/chat/stream) is its audience.
  const watch = { terminal: false, audience: false }
  // A draft that ended while this client was reconnecting is no longer live: send the rest of it first.
  const previous = resumeFrom && context.hub.find(resumeFrom.messageId)
  if (previous && previous.conversationId === conversationId && previous.ended && !deliveredAll(previous, resumeFrom)) {
    pipe(previous, sse, resumeFrom, frames, watch)
  }
  const following = context.hub.follow(conversationId, (generation) => {
    const from = resumeFrom?.messageId === generation.messageId ? resumeFrom : { seq: 0 }
    pipe(generation, sse, from, frames, watch)
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

type FrameEncoder = (messageId: number, event: GenerationEvent, previous: GenerationEvent | undefined) => SseEvent[]

const requesterFrames: FrameEncoder = (messageId, event, previous) => textFrames(messageId, event, true, previous)

const deliveredAll = (generation: Generation, position: StreamPosition): boolean =>
  position.piece === undefined && position.seq >= generation.lastSeq

/**
 * Sends a generation's events from a position on: after event `seq`, or after frame `piece` of event `seq`.
 * A terminal stream belongs to that one generation and closes after it; an audience keeps the generation alive
 * (see Generation's grace period).
 */
function pipe(
  generation: Generation,
  sse: SseConnection,
  from: Pick<StreamPosition, 'seq' | 'piece'>,
  frames: FrameEncoder,
  { terminal, audience }: { terminal: boolean; audience: boolean },
): void {
  const partial = from.piece !== undefined
  const afterSeq = partial ? from.seq - 1 : from.seq
  let previous = generation.eventAt(afterSeq)
  const unsubscribe = generation.subscribe(
    (event) => {
      const skip = partial && event.seq === from.seq ? (from.piece as number) : -1
      sse.write(encodeFrames(generation.messageId, event.seq, frames(generation.messageId, event, previous), skip))
      previous = event
      if (event.type === 'end' && terminal) sse.end()
    },
    { afterSeq, audience },
  )
  sse.onClose(unsubscribe)
}
