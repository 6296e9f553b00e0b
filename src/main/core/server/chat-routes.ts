// Streaming routes: start a reply (`/chat/stream`), resume one by Last-Event-ID, or follow a conversation. Their
// methods, paths and access are declared in server-routes.ts, which routes to them. They reach the core only
// through the API (context.api) and attach to a reply only through its follow().
// An integration key needs 'stream' to start or resume a reply, 'read' as well to continue a conversation (the
// reply shows what it holds) or to resume a reply another caller started, and 'read' to follow a conversation.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ApiError } from '../../../shared/api'
import type { GenerationEvent } from '../../../shared/generation-events'
import type { Access } from '../../../shared/integration-keys'
import type { z } from 'zod'
import { describeIssue } from '../../../shared/schemas'
import { BODY_CHARS } from '../../../shared/limits'
import type { FollowedEvent, FollowFrom, ReplyStream, ResumeFrom, Sink } from '../streaming/follow'
import { allows, authorize, sourceOf } from './access'
import { HttpError, httpErrorOf } from './http-errors'
import { bodyBytesFor, isRecord, readJsonBody } from './request-body'
import type { RouteContext } from './route-context'
import { followQuery } from './server-routes'
import { SseConnection } from './sse-connection'
import { DONE, encodeEvent, encodeFrames, parseEventId, type SseEvent, type StreamPosition } from './sse-encoding'
import { jsonFrames, textFrames } from './sse-frames'

const MAX_BODY_BYTES = bodyBytesFor(BODY_CHARS.chat)

/** A reply in an existing conversation, or to a reply someone else started: its text shows what the transcript holds. */
const STREAM_AND_READ: Access = { scopes: ['stream', 'read'] }

/** `GET`/`POST /chat/stream` (server-routes.ts; the caller has 'stream'): a new reply, or resuming one by Last-Event-ID. */
export async function chatStream(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const resumeFrom = request.headers['last-event-id']
  if (resumeFrom !== undefined) resume(context, request, response, String(resumeFrom))
  else await startReply(context, request, response, url)
}

async function startReply(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const requested = request.method === 'POST' ? await readJsonBody(request, MAX_BODY_BYTES) : queryInput(url)
  if (isRecord(requested) && requested.conversationId !== undefined) authorize(context.caller, STREAM_AND_READ)
  // An integration's messages and drafts are saved under its key's name: a key cannot pass for another source.
  const input = isRecord(requested) ? { ...requested, source: sourceOf(context.caller, requested.source) } : requested
  checkCapacity(context)
  const reply = callApi(() => context.api.startReply(input))
  requesterFollows(reply, openStream(context, request, response), { seq: 0 })
}

function queryInput(url: URL): Record<string, string | undefined> {
  const q = url.searchParams
  return {
    message: q.get('message') ?? undefined,
    conversationId: q.get('conversation_id') ?? undefined,
    source: q.get('source') ?? undefined,
  }
}

/** A reconnecting client gets what it missed from the same reply; no new reply starts. */
function resume(context: RouteContext, request: IncomingMessage, response: ServerResponse, lastEventId: string): void {
  const position = parseEventId(lastEventId)
  if (!position) throw new HttpError(400, 'invalid-input', 'Last-Event-ID is not one this server sent.')
  // Message ids are sequential: a key without 'read' resumes only the replies it started itself, or it could read any draft.
  const { caller } = context
  if (caller.kind === 'integration' && !allows(caller, STREAM_AND_READ) && context.api.replySource(position.messageId) !== caller.key.name) {
    authorize(caller, STREAM_AND_READ)
  }
  const found = callApi(() => context.api.resumeReply(position.messageId))
  if (found.kind === 'stream') {
    const reply = found.stream
    if (reply.ended && hasAll(reply, position)) {
      // Nothing more will come; 204 tells an EventSource to stop reconnecting.
      response.writeHead(204, context.cors).end()
      return
    }
    checkCapacity(context)
    requesterFollows(reply, openStream(context, request, response), position)
    return
  }
  // Finished long enough ago that its events were let go of: the saved transcript has the whole reply.
  const sse = openStream(context, request, response)
  const error = {
    kind: 'invalid-input',
    retryable: false,
    message: `This reply can no longer be resumed; its saved text is at /api/conversations/${found.message.conversationId}.`,
  }
  sse.write(encodeEvent({ event: 'error', data: JSON.stringify(error) }) + encodeEvent({ data: DONE }))
  sse.end()
}

/** `GET /conversations/{id}/events` (server-routes.ts; the caller has 'read'). */
export function followConversation(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL, rawId: string): void {
  const format = queryOf(followQuery, url).format ?? 'text'
  const conversation = callApi(() => context.api.conversationStream(Number(rawId)))
  checkCapacity(context)
  const position = parseEventId(request.headers['last-event-id'] as string | undefined)
  const sse = openStream(context, request, response)
  const frames: FrameEncoder = format === 'json' ? jsonFrames : (messageId, event, previous) => textFrames(messageId, event, false, previous)
  const from: ResumeFrom | undefined = position && { messageId: position.messageId, afterSeq: afterSeqOf(position) }
  // One Dispose for the whole connection, however many drafts it sees: each is let go of when it ends.
  sse.onClose(conversation.follow(from, writer(sse, frames, position)))
}

/** The client that asked for a reply: its stream closes after the reply, and while it listens the reply runs. */
function requesterFollows(reply: ReplyStream, sse: SseConnection, position: Pick<StreamPosition, 'seq' | 'piece'>): void {
  const from: FollowFrom = { afterSeq: afterSeqOf(position), audience: true }
  const write = writer(sse, requesterFrames, { messageId: reply.messageId, ...position })
  sse.onClose(
    reply.follow(from, (followed) => {
      write(followed)
      if (followed.event.type === 'end') sse.end()
    }),
  )
}

/** Resuming inside an event (after frame `piece` of event `seq`) replays that event and skips the frames sent. */
const afterSeqOf = ({ seq, piece }: Pick<StreamPosition, 'seq' | 'piece'>): number => (piece === undefined ? seq : seq - 1)

const hasAll = (reply: ReplyStream, position: StreamPosition): boolean => position.piece === undefined && position.seq >= reply.lastSeq

/** Writes each followed event as its frames, skipping the frames of `position`'s event the client already has. */
function writer(sse: SseConnection, frames: FrameEncoder, position: StreamPosition | undefined): Sink {
  return ({ messageId, event, previous }: FollowedEvent) => {
    const resumed = position?.piece !== undefined && position.messageId === messageId && position.seq === event.seq
    sse.write(encodeFrames(messageId, event.seq, frames(messageId, event, previous), resumed ? position.piece : -1))
  }
}

/** The query parameters a route declares (server-routes.ts), validated by the declaration's schema. */
export function queryOf<S extends z.ZodObject>(schema: S, url: URL): z.output<S> {
  const query = Object.fromEntries([...url.searchParams].filter(([name]) => name !== 'token'))
  const parsed = schema.safeParse(query)
  if (!parsed.success) throw new HttpError(400, 'invalid-input', describeIssue(parsed.error))
  return parsed.data
}

/** Core calls refuse with ApiErrors; over HTTP each is a status. */
export function callApi<T>(call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (error instanceof ApiError) throw httpErrorOf(error)
    throw error
  }
}

/** Refuses a stream beyond the server's limit, or beyond the calling key's own (rate-limits.ts), before anything starts. */
export function checkCapacity(context: RouteContext): void {
  const limit = context.settings().maxConcurrentStreams
  if (context.streams.open >= limit) {
    throw new HttpError(429, 'too-many-streams', `Too many open streams (the limit is ${limit}); try again when one has finished.`, {
      'Retry-After': '5',
    })
  }
  const { caller } = context
  if (caller.kind === 'integration') context.rateLimits.checkStream(caller.key)
}

/** Counts a stream (or a long answer) against both limits until the returned Dispose; checkCapacity has passed. */
export function takeStreamSlot(context: RouteContext): () => void {
  const { caller } = context
  const releaseKeySlot = caller.kind === 'integration' ? context.rateLimits.openStream(caller.key) : () => {}
  context.streams.open++
  let released = false
  return () => {
    if (released) return
    released = true
    context.streams.open--
    releaseKeySlot()
  }
}

export function openStream(context: RouteContext, request: IncomingMessage, response: ServerResponse): SseConnection {
  const sse = new SseConnection(request, response, context.sseOptions, context.cors)
  sse.onClose(takeStreamSlot(context))
  // Revoking a key takes effect at once, for the streams it holds open too (a follower may stay for days).
  const { caller } = context
  if (caller.kind === 'integration') sse.onClose(context.api.onIntegrationKeyRevoked(caller.key.id, () => sse.end()))
  return sse
}

type FrameEncoder = (messageId: number, event: GenerationEvent, previous: GenerationEvent | undefined) => SseEvent[]

const requesterFrames: FrameEncoder = (messageId, event, previous) => textFrames(messageId, event, true, previous)
