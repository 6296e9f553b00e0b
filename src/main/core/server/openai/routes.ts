// The OpenAI-compatible routes: `POST /v1/chat/completions` and `GET /v1/models` (declared in server-routes.ts).
// A request becomes a conversation through ApiService.startReplyToMessages, the reply is followed through its
// ReplyStream like every other client's, and only the wire format here is OpenAI's. The caller is always an
// integration key (the dispatcher refuses the console's token on these routes) and is the reply's audience:
// a client that goes away stops the draft after the grace period, as a /chat/stream client does.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TokenUsage } from '../../../../shared/domain'
import { BODY_CHARS } from '../../../../shared/limits'
import type { FollowedEvent } from '../../streaming/follow'
import { authorize } from '../access'
import { callApi, checkCapacity, takeStreamSlot } from '../chat-routes'
import { sendJson } from '../http-errors'
import { bodyBytesFor, readJsonBody } from '../request-body'
import type { RouteContext } from '../route-context'
import { planChatCompletion } from './chat-request'
import { chunk, completion, finishReasonOf, usageChunk, type CompletionIdentity } from './completion'
import { draftFailure, openAiErrorBody, sendOpenAiError } from './errors'
import { OpenAiEventStream } from './event-stream'

const MAX_BODY_BYTES = bodyBytesFor(BODY_CHARS.chatCompletion)

export async function chatCompletions(context: RouteContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { caller } = context
  if (caller.kind !== 'integration') throw new Error('the dispatcher lets only integration keys through to /v1')
  const plan = planChatCompletion(await readJsonBody(request, MAX_BODY_BYTES))
  // Continuing a conversation shows what it holds, as /chat/stream's conversation_id does.
  if (plan.conversationId !== undefined) authorize(caller, { scopes: ['stream', 'read'] })
  checkCapacity(context)
  const reply = callApi(() =>
    context.api.startReplyToMessages({ messages: plan.entries, conversationId: plan.conversationId, source: caller.key.name }),
  )
  const release = takeStreamSlot(context)
  response.on('close', release)
  const headers = { ...context.cors, 'X-Conversation-Id': String(reply.conversationId) }
  const identity: CompletionIdentity = {
    id: `chatcmpl-${reply.messageId}`,
    created: Math.floor(Date.now() / 1000),
    model: '',
    conversationId: reply.conversationId,
    messageId: reply.messageId,
  }
  let usage: TokenUsage | undefined
  let text = ''

  if (plan.stream) {
    const stream = new OpenAiEventStream(request, response, context.sseOptions, headers)
    stream.onClose(context.api.onIntegrationKeyRevoked(caller.key.id, () => stream.end()))
    const stopFollowing = reply.follow({ afterSeq: 0, audience: true }, ({ event }: FollowedEvent) => {
      if (event.type === 'meta') {
        identity.model = event.model
        stream.send(chunk(identity, { role: 'assistant', content: '' }, plan.includeUsage))
      } else if (event.type === 'delta') {
        stream.send(chunk(identity, { content: event.text }, plan.includeUsage))
      } else if (event.type === 'usage') {
        usage = event.usage
      } else if (event.type === 'end') {
        const finishReason = finishReasonOf(event)
        if (!finishReason) {
          // Mid-stream, an error is an event with OpenAI's error object, which OpenAI's clients raise as an APIError.
          stream.send({ error: openAiErrorBody(draftFailure(event.error, event.status === 'stopped')) })
          stream.end()
          return
        }
        stream.send(chunk(identity, { finishReason }, plan.includeUsage))
        if (plan.includeUsage) stream.send(usageChunk(identity, usage))
        stream.done()
      }
    })
    stream.onClose(stopFollowing)
    return
  }

  const stopFollowing = reply.follow({ afterSeq: 0, audience: true }, ({ event }: FollowedEvent) => {
    if (event.type === 'meta') identity.model = event.model
    else if (event.type === 'delta') text += event.text
    else if (event.type === 'usage') usage = event.usage
    else if (event.type === 'end' && !response.destroyed) {
      const finishReason = finishReasonOf(event)
      if (finishReason) sendJson(response, 200, completion(identity, text, finishReason, usage), headers)
      else sendOpenAiError(response, draftFailure(event.error, event.status === 'stopped'), headers)
    }
  })
  const stopWatchingKey = context.api.onIntegrationKeyRevoked(caller.key.id, () => response.destroy())
  response.on('close', () => {
    stopFollowing()
    stopWatchingKey()
  })
}

/** One model: the one every draft is written by. Clients that list models before they ask (most do) find it. */
export async function models(context: RouteContext, _request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { model } = await context.api.getSettings()
  sendJson(response, 200, { object: 'list', data: [{ id: model, object: 'model', created: 0, owned_by: 'support-console' }] }, context.cors)
}
