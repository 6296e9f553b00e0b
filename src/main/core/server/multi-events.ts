// `GET /events?conversations=1,2,3`: one SSE stream following several conversations, for pages that follow many
// (a browser allows only six connections per origin over HTTP/1.1, so one EventSource per conversation stalls at
// the seventh). Each event is one unnamed `data:` line of JSON, `{"conversationId","messageId","event"}`, the
// event as /conversations/{id}/events?format=json delivers it; a named `ready` event first lists the
// conversations. Every conversation is followed through ApiService's ConversationStream, as the single-
// conversation route does; the event ids (multi-events-ids.ts) make a reconnect resume each one exactly.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { MAX_FOLLOWED_CONVERSATIONS } from '../../../shared/limits'
import type { ResumeFrom } from '../streaming/follow'
import { callApi, checkCapacity, openStream, queryOf } from './chat-routes'
import { HttpError } from './http-errors'
import { encodeMultiEventId, parseMultiEventId, type MultiStreamPosition } from './multi-events-ids'
import type { RouteContext } from './route-context'
import { encodeEvent } from './sse-encoding'
import { multiFollowQuery } from './server-routes'

export function followConversations(context: RouteContext, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const ids = [
    ...new Set(
      queryOf(multiFollowQuery, url)
        .conversations.split(',')
        .map((id) => Number(id.trim())),
    ),
  ]
  if (ids.length > MAX_FOLLOWED_CONVERSATIONS) {
    throw new HttpError(400, 'invalid-input', `One stream follows at most ${MAX_FOLLOWED_CONVERSATIONS} conversations; open another for the rest.`)
  }
  // Every one is checked to exist before the stream opens, so a wrong id is a 404, not a silent stream.
  const streams = ids.map((id) => callApi(() => context.api.conversationStream(id)))
  const lastEventId = request.headers['last-event-id']
  let position: MultiStreamPosition
  if (lastEventId === undefined) {
    position = { watermark: Math.max(0, ...ids.map((id) => callApi(() => context.api.latestMessageId(id)))), positions: new Map() }
  } else {
    const resumed = parseMultiEventId(String(lastEventId))
    if (!resumed) throw new HttpError(400, 'invalid-input', 'Last-Event-ID is not one this stream sent.')
    // Conversations the client no longer asks for are dropped from the position.
    position = { watermark: resumed.watermark, positions: new Map([...resumed.positions].filter(([id]) => ids.includes(id))) }
  }
  checkCapacity(context)
  const sse = openStream(context, request, response)
  sse.write(encodeEvent({ id: encodeMultiEventId(position), event: 'ready', data: JSON.stringify({ conversations: ids }) }))
  for (const stream of streams) {
    const { conversationId } = stream
    const seen = position.positions.get(conversationId)
    // Unseen: every draft from the watermark on (on the first connection none has finished yet, so only the live one).
    const from: ResumeFrom = seen ? { messageId: seen.messageId, afterSeq: seen.seq } : { messageId: position.watermark + 1, afterSeq: 0 }
    sse.onClose(
      stream.follow(from, ({ messageId, event }) => {
        position.positions.set(conversationId, { messageId, seq: event.seq })
        sse.write(encodeEvent({ id: encodeMultiEventId(position), data: JSON.stringify({ conversationId, messageId, event }) }))
      }),
    )
  }
}
