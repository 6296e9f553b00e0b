// The streams clients follow: the renderer's conversation events, and the local server's streaming routes for
// integrations (start a reply to one message or to a whole conversation, resume a reply, follow a conversation).
// Only onConversationEvents is part of the renderer contract; the rest is for the server.
import { titleFromMessage } from '../../../shared/conversation-title'
import { ApiError, type ConversationEvent, type Dispose } from '../../../shared/api'
import { chatRequest, conversationId as idSchema, messageText, replyText, sourceName } from '../../../shared/schemas'
import { z } from 'zod'
import { followConversation, replyStream, type ConversationStream, type ReplyStream, type ResumedReply } from '../streaming/follow'
import type { ApiServiceDeps } from './api-deps'
import { guard, knownApiError, parseInput } from './api-errors'
import { existingConversation, parseConversationId } from './conversation-checks'

export class IntegrationStreams {
  constructor(private readonly deps: Pick<ApiServiceDeps, 'store' | 'drafting' | 'hub'>) {}

  onConversationEvents(conversationId: number, onEvent: (event: ConversationEvent) => void): Dispose {
    const stream = this.conversationStream(conversationId)
    const deliver = onEvent
    // A follower, never the draft's audience: a closed window must not stop a draft.
    return stream.follow(undefined, ({ messageId, event }) => deliver({ messageId, event }))
  }

  /**
   * Adds an integration's customer message (to a new conversation unless one is given) and starts a reply.
   * `input` is `{ message, conversationId?, source? }` as the integration sent it; it is validated here.
   * The caller follows the returned stream as its audience: the reply runs while somebody listens.
   */
  startReply(input: unknown): ReplyStream {
    const request = parseInput(chatRequest, input ?? {})
    return replyStream(guard(() => this.deps.drafting.replyTo(request)))
  }

  /**
   * Adds an integration's messages (customer messages and earlier replies, oldest first, the customer's last) to
   * a new conversation, or to the one given, and starts a reply: the OpenAI-compatible route, whose clients send
   * a conversation rather than one message. The reply is drafted like every other (drafting.replyTo). A refused
   * request leaves nothing behind: a new conversation is removed again, an existing one is checked first.
   */
  startReplyToMessages(input: unknown): ReplyStream {
    const request = parseInput(messagesReplyRequest, input ?? {})
    const { store, drafting, hub } = this.deps
    const { source } = request
    const last = request.messages.at(-1) as { text: string }
    const earlier = request.messages.slice(0, -1)
    const add = (conversationId: number): void => {
      for (const { role, text } of earlier) store.addMessage({ conversationId, role, text, source })
    }
    if (request.conversationId !== undefined) {
      const { id } = existingConversation(store, request.conversationId)
      if (hub.liveIn(id)) throw new ApiError('conflict', `A draft is already streaming in conversation ${id}; follow it or stop it first.`)
      guard(() => add(id))
      return replyStream(guard(() => drafting.replyTo({ message: last.text, conversationId: id, source })))
    }
    if (earlier.length === 0) return replyStream(guard(() => drafting.replyTo({ message: last.text, source })))
    const first = request.messages.find((message) => message.role === 'customer') as { text: string }
    const { id } = guard(() => store.createConversation({ title: titleFromMessage(first.text), source }))
    try {
      add(id)
      return replyStream(drafting.replyTo({ message: last.text, conversationId: id, source }))
    } catch (error) {
      store.deleteConversation(id)
      throw knownApiError(error) ?? error
    }
  }

  /** The newest message id in the conversation (0 when it has none): drafts started later have greater ids. */
  latestMessageId(conversationId: number): number {
    const { id } = existingConversation(this.deps.store, parseConversationId(conversationId))
    return this.deps.store.latestMessageId(id)
  }

  /** The reply a client resumes (Last-Event-ID): its stream while the hub still has it, else the saved message. */
  resumeReply(messageId: number): ResumedReply {
    const id = parseInput(idSchema, messageId, 'message id')
    const generation = this.deps.hub.find(id)
    if (generation) return { kind: 'stream', stream: replyStream(generation) }
    const message = this.deps.store.getMessage(id)
    if (!message) throw new ApiError('not-found', `There is no reply ${id} to resume.`)
    return { kind: 'saved', message }
  }

  /**
   * A conversation to follow, checked to exist now; its follow() starts delivering (from a resume position for
   * a client that reconnects), so a transport can answer "not found" before it opens its stream.
   */
  conversationStream(conversationId: number): ConversationStream {
    // Not a declared method: its caller's id is parsed here.
    const { id } = existingConversation(this.deps.store, parseConversationId(conversationId))
    return { conversationId: id, follow: (from, sink) => followConversation(this.deps.hub, id, from, sink) }
  }

  /** Who a reply was drafted for (its saved source), so a key resumes only its own replies unless it may read. */
  replySource(messageId: number): string | undefined {
    return this.deps.store.getMessage(messageId)?.source
  }
}

/** startReplyToMessages' input: the messages to add, oldest first, ending with the customer's. */
const messagesReplyRequest = z.object({
  messages: z
    .array(
      z.discriminatedUnion('role', [
        z.object({ role: z.literal('customer'), text: messageText }),
        z.object({ role: z.literal('agent'), text: replyText }),
      ]),
    )
    .min(1, "give at least the customer's message")
    .refine((messages) => messages.at(-1)?.role === 'customer', "the last message must be the customer's"),
  conversationId: idSchema.optional(),
  source: sourceName,
})
