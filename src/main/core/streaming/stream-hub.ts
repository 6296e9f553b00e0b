// Where live generations are found: by message (to resume an SSE stream by Last-Event-ID) and by
// conversation (one live generation per conversation; followers of a conversation see each new one).
import { Generation } from './generation'

export type GenerationStartedListener = (generation: Generation) => void

export interface StreamHubOptions {
  /** How long a finished generation stays replayable, for clients that reconnect late. */
  retainMs: number
  /** How many finished generations are kept replayable at most. */
  retainCount: number
}

export class StreamHub {
  private readonly byMessage = new Map<number, Generation>()
  private readonly liveByConversation = new Map<number, Generation>()
  private readonly followers = new Map<number, Set<GenerationStartedListener>>()
  private readonly finished: Generation[] = []

  constructor(private readonly options: StreamHubOptions = { retainMs: 5 * 60_000, retainCount: 500 }) {}

  /** The conversation's live generation, if one is running. */
  liveIn(conversationId: number): Generation | undefined {
    return this.liveByConversation.get(conversationId)
  }

  /** A live or recently finished generation, for resuming a stream. */
  find(messageId: number): Generation | undefined {
    return this.byMessage.get(messageId)
  }

  get liveCount(): number {
    return this.liveByConversation.size
  }

  add(generation: Generation): void {
    if (this.liveByConversation.has(generation.conversationId)) {
      throw new Error(`conversation ${generation.conversationId} already has a live generation`)
    }
    this.byMessage.set(generation.messageId, generation)
    this.liveByConversation.set(generation.conversationId, generation)
    generation.onEnded(() => this.retire(generation))
    for (const follower of [...(this.followers.get(generation.conversationId) ?? [])]) follower(generation)
  }

  /** Calls `listener` with the live generation now (if any) and with each one started later. */
  follow(conversationId: number, listener: GenerationStartedListener): () => void {
    let set = this.followers.get(conversationId)
    if (!set) this.followers.set(conversationId, (set = new Set()))
    set.add(listener)
    const live = this.liveByConversation.get(conversationId)
    if (live) listener(live)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.followers.delete(conversationId)
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
    this.finished.push(generation)
    while (this.finished.length > this.options.retainCount) this.forget(this.finished.shift())
    setTimeout(() => {
      const index = this.finished.indexOf(generation)
      if (index >= 0) this.forget(this.finished.splice(index, 1)[0])
    }, this.options.retainMs).unref()
  }

  private forget(generation: Generation | undefined): void {
    if (generation && this.byMessage.get(generation.messageId) === generation) this.byMessage.delete(generation.messageId)
  }
}
