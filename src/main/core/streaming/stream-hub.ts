// Where generations are found: by message (to resume an SSE stream by Last-Event-ID) and by conversation (one
// live generation per conversation; followers of a conversation see each new one). Finished generations stay
// replayable for a while, so a client that reconnects late still gets what it missed.
import type { Dispose } from '../../../shared/api'
import type { GenerationEvent } from '../../../shared/generation-events'
import type { Generation } from './generation'

export type GenerationStartedListener = (generation: Generation) => void

export interface StreamHubOptions {
  /** How long a finished generation stays replayable, for clients that reconnect late. */
  retainMs: number
  /** How many finished generations are kept replayable at most. */
  retainCount: number
  /**
   * How much memory the finished generations may hold together (their events, estimated): the cap that holds
   * whatever the replies' length, so memory stays bounded under sustained drafting. The oldest go first.
   */
  retainBytes: number
}

export const DEFAULT_RETENTION: StreamHubOptions = { retainMs: 5 * 60_000, retainCount: 500, retainBytes: 32 * 2 ** 20 }

/** Per event, beyond its text: the object, its fields and its slot in the log (measured order of magnitude). */
const EVENT_OVERHEAD_BYTES = 120

/** Roughly what a finished generation keeps in memory: its events, text counted as UTF-16. */
export function retainedSize(generation: Generation): number {
  let bytes = 0
  for (let seq = 1; seq <= generation.lastSeq; seq++) bytes += eventSize(generation.eventAt(seq))
  return bytes
}

function eventSize(event: GenerationEvent | undefined): number {
  if (!event) return 0
  // Deltas are nearly all of a generation; the rest (meta, sources, usage, end) are few, measured as JSON.
  return EVENT_OVERHEAD_BYTES + 2 * (event.type === 'delta' ? event.text.length : JSON.stringify(event).length)
}

interface Retained {
  generation: Generation
  /** When it stops being replayable (ms since the epoch). */
  until: number
  /** retainedSize() when it was retired. */
  bytes: number
}

export class StreamHub {
  private readonly options: StreamHubOptions
  private readonly live = new Map<number, Generation>()
  private readonly liveByConversation = new Map<number, Generation>()
  /** Recently finished generations by message, oldest first (so expiry only ever looks at the head). */
  private readonly finished = new Map<number, Retained>()
  private finishedBytes = 0
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

  /** What they hold, estimated (retainedSize); at most retainBytes, or one generation if that alone is larger. */
  get retainedBytes(): number {
    return this.finishedBytes
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
    const bytes = retainedSize(generation)
    this.finished.set(generation.messageId, { generation, until: now + this.options.retainMs, bytes })
    this.finishedBytes += bytes
    this.expire(now)
  }

  /** Lets go of generations past their time or beyond the count or bytes, and sets the timer for the next one. */
  private expire(now: number): void {
    const { retainCount, retainBytes } = this.options
    for (const [messageId, retained] of this.finished) {
      const withinBytes = this.finishedBytes <= retainBytes || this.finished.size === 1
      if (retained.until > now && this.finished.size <= retainCount && withinBytes) break
      this.finished.delete(messageId)
      this.finishedBytes -= retained.bytes
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
