// Where generations are found: by message (to resume an SSE stream by Last-Event-ID) and by conversation (one
// live generation per conversation; followers of a conversation see each new one). Finished generations stay
// replayable for a while, so a client that reconnects late still gets what it missed.
import type { Dispose } from '../../../shared/api'
import type { Generation } from './generation'

export type GenerationStartedListener = (generation: Generation) => void

export interface StreamHubOptions {
  /** How long a finished generation stays replayable, for clients that reconnect late. */
  retainMs: number
  /** How many finished generations are kept replayable at most. */
  retainCount: number
}

export const DEFAULT_RETENTION: StreamHubOptions = { retainMs: 5 * 60_000, retainCount: 500 }

interface Retained {
  generation: Generation
  /** When it stops being replayable (ms since the epoch). */
  until: number
}

export class StreamHub {
  private readonly options: StreamHubOptions
  private readonly live = new Map<number, Generation>()
  private readonly liveByConversation = new Map<number, Generation>()
  /** Recently finished generations by message, oldest first (so expiry only ever looks at the head). */
  private readonly finished = new Map<number, Retained>()
  private readonly followers = new Map<number, Set<GenerationStartedListener>>()
  // One timer for the whole retention (at the oldest's expiry), not one per generation: a timer's closure would
  // keep its generation, and every event in it, reachable until it fires.
  private expiry: NodeJS.Timeout | undefined

  constructor(options: Partial<StreamHubOptions> = {}) {
    this.options = { ...DEFAULT_RETENTION, ...options }
  }

  /** The conversation's live generation, if one is running. */
  liveIn(conversationId: number): Generation | undefined {
    return this.liveByConversation.get(conversationId)
  }

  /** A live or recently finished generation, for resuming a stream. */
  find(messageId: number): Generation | undefined {
    this.expire(Date.now())
    return this.live.get(messageId) ?? this.finished.get(messageId)?.generation
  }

  get liveCount(): number {
    return this.liveByConversation.size
  }

  /** How many finished generations are still replayable. */
  get retainedCount(): number {
    return this.finished.size
  }

  add(generation: Generation): void {
    if (this.liveByConversation.has(generation.conversationId)) {
      throw new Error(`conversation ${generation.conversationId} already has a live generation`)
    }
    this.live.set(generation.messageId, generation)
    this.liveByConversation.set(generation.conversationId, generation)
    generation.onEnded(() => this.retire(generation))
    for (const follower of [...(this.followers.get(generation.conversationId) ?? [])]) follower(generation)
  }

  /**
   * Calls `listener` with the conversation's generations: with `since` (a message id), first each retained
   * finished one from that message on, in the order they started; then the live one (if any); then each one
   * started later. The caller decides from where to follow each (see followConversation).
   */
  follow(conversationId: number, listener: GenerationStartedListener, since?: number): Dispose {
    let set = this.followers.get(conversationId)
    if (!set) this.followers.set(conversationId, (set = new Set()))
    set.add(listener)
    const following = set
    if (since !== undefined) {
      this.expire(Date.now())
      const missed = [...this.finished.values()]
        .map((retained) => retained.generation)
        .filter((g) => g.conversationId === conversationId && g.messageId >= since)
        // Message ids only grow (AUTOINCREMENT), so their order is the order the drafts started in.
        .sort((a, b) => a.messageId - b.messageId)
      for (const generation of missed) {
        if (!following.has(listener)) break
        listener(generation)
      }
    }
    const live = this.liveByConversation.get(conversationId)
    if (live && following.has(listener)) listener(live)
    return () => {
      following.delete(listener)
      if (following.size === 0 && this.followers.get(conversationId) === following) this.followers.delete(conversationId)
    }
  }

  /** Stops every live generation and resolves when each has ended (its text saved). */
  async stopAll(reason: 'shutdown'): Promise<void> {
    const live = [...this.liveByConversation.values()]
    await Promise.all(
      live.map(
        (generation) =>
          new Promise<void>((resolve) => {
            generation.onEnded(resolve)
            generation.stop(reason)
          }),
      ),
    )
  }

  private retire(generation: Generation): void {
    if (this.liveByConversation.get(generation.conversationId) === generation) {
      this.liveByConversation.delete(generation.conversationId)
    }
    this.live.delete(generation.messageId)
    const now = Date.now()
    this.finished.set(generation.messageId, { generation, until: now + this.options.retainMs })
    this.expire(now)
  }

  /** Lets go of generations past their time or beyond the count, and sets the timer for the next one. */
  private expire(now: number): void {
    for (const [messageId, retained] of this.finished) {
      if (retained.until > now && this.finished.size <= this.options.retainCount) break
      this.finished.delete(messageId)
    }
    clearTimeout(this.expiry)
    this.expiry = undefined
    const oldest = this.finished.values().next().value
    if (oldest) {
      this.expiry = setTimeout(() => this.expire(Date.now()), Math.max(0, oldest.until - now))
      this.expiry.unref()
    }
  }
}
