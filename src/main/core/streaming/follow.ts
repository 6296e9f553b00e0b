// How every client attaches to a generation: the renderer (through ApiService.onConversationEvents), the
// integration that asked for a reply (/chat/stream), a follower of a conversation (/conversations/{id}/events)
// and a client resuming either. One helper, so all of them replay, follow live and let go the same way.
import type { Message } from '../../../shared/domain'
import type { GenerationEvent } from '../../../shared/generation-events'
import type { Dispose } from '../../../shared/api'
import type { Generation } from './generation'
import type { StreamHub } from './stream-hub'

/** Where a client starts in one generation. */
export interface FollowFrom {
  /** Events with a greater seq are delivered (replayed, then live). 0: the whole generation. */
  afterSeq: number
  /**
   * Whether this client keeps the generation running: when the last such client leaves, the request to Gemini
   * is aborted after the grace period. Only the integration that asked for a reply is its audience.
   */
  audience?: boolean
}

/** Where a client that reconnects to a conversation left off: after event `afterSeq` of draft `messageId`. */
export interface ResumeFrom {
  messageId: number
  afterSeq: number
}

export interface FollowedEvent {
  messageId: number
  event: GenerationEvent
  /** The event before this one in the same generation, if any (an encoder may need it: a CR LF split over two deltas). */
  previous: GenerationEvent | undefined
}

export type Sink = (followed: FollowedEvent) => void

/**
 * Delivers the generation's events after `from.afterSeq` to `sink`, then live ones. The generation lets its
 * listeners go once the end has been delivered (or at once, after the replay, when it had already ended), so a
 * follower never outlives it. Returns the Dispose that detaches earlier (a client that went away).
 */
export function follow(generation: Generation, { afterSeq, audience = false }: FollowFrom, sink: Sink): Dispose {
  const { messageId } = generation
  let previous = generation.eventAt(afterSeq)
  return generation.subscribe(
    (event) => {
      sink({ messageId, event, previous })
      previous = event
    },
    { afterSeq, audience },
  )
}

/**
 * Follows a conversation: its live draft and each later one, from the start of each. With `from` (a client
 * reconnecting), first the rest of that draft, then every retained draft of the conversation that started after
 * it (they may have started and ended while the client was away), in order. A follower watches and is never an
 * audience: a closed tab must not stop a draft. Each draft is let go of once it has ended, so a follower that
 * stays for hundreds of drafts holds none of them.
 */
export function followConversation(hub: StreamHub, conversationId: number, from: ResumeFrom | undefined, sink: Sink): Dispose {
  const following = new Set<Dispose>()
  let active = true
  const attach = (generation: Generation): void => {
    if (!active) return
    const afterSeq = generation.messageId === from?.messageId ? from.afterSeq : 0
    const stopFollowing = follow(generation, { afterSeq, audience: false }, sink)
    if (generation.ended) return
    // Forgotten at the end, whether or not the sink saw it (a sink that threw was detached earlier).
    const forget = (): void => {
      following.delete(stop)
    }
    const stopWaiting = generation.onEnded(forget)
    const stop: Dispose = () => {
      stopFollowing()
      stopWaiting()
    }
    following.add(stop)
  }
  const stopHearing = hub.follow(conversationId, attach, from?.messageId)
  return () => {
    if (!active) return
    active = false
    stopHearing()
    for (const stop of following) stop()
    following.clear()
  }
}

/** A reply as a transport sees it: where it stands, and the way to follow it. */
export interface ReplyStream {
  readonly conversationId: number
  readonly messageId: number
  readonly ended: boolean
  /** The seq of its latest event; a client that has it and `ended` has everything. */
  readonly lastSeq: number
  follow(from: FollowFrom, sink: Sink): Dispose
}

export function replyStream(generation: Generation): ReplyStream {
  return {
    conversationId: generation.conversationId,
    messageId: generation.messageId,
    get ended() {
      return generation.ended
    },
    get lastSeq() {
      return generation.lastSeq
    },
    follow: (from, sink) => follow(generation, from, sink),
  }
}

/** What resuming a reply finds: its stream (live or recently finished), or only the saved message. */
export type ResumedReply = { kind: 'stream'; stream: ReplyStream } | { kind: 'saved'; message: Message }

/** A conversation a transport may follow (see followConversation). */
export interface ConversationStream {
  readonly conversationId: number
  follow(from: ResumeFrom | undefined, sink: Sink): Dispose
}
