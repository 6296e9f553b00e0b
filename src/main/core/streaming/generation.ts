// One live generation and its listeners. Every event is kept (a reply is bounded by the model's output
// limit), so a listener that arrives late is replayed what it missed, then follows live. Clients attach
// through follow() (follow.ts), which detaches them when the generation ends.
import type { GenerationEvent } from '../../../shared/generation-events'
import type { Dispose } from '../../../shared/api'

type Unsequenced<E> = E extends GenerationEvent ? Omit<E, 'seq'> : never
export type NewGenerationEvent = Unsequenced<GenerationEvent>

export type Listener = (event: GenerationEvent) => void

/** Why a generation was stopped before Gemini finished. */
export type StopReason = 'agent' | 'abandoned' | 'shutdown'

export interface Subscription {
  /** Replayed events with seq greater than this, then live ones. 0 replays everything. */
  afterSeq?: number
  /**
   * Whether this listener keeps the generation alive. When the last such listener leaves, the request to
   * Gemini is aborted after the grace period (an SSE client that reconnects in time picks up where it was).
   */
  audience?: boolean
}

interface Attached {
  listener: Listener
  audience: boolean
}

export class Generation {
  private readonly events: GenerationEvent[] = []
  private readonly listeners = new Set<Attached>()
  private readonly controller = new AbortController()
  private readonly endedCallbacks = new Set<() => void>()
  private graceTimer: NodeJS.Timeout | undefined
  private stopReasonValue: StopReason | undefined

  constructor(
    readonly conversationId: number,
    readonly messageId: number,
    readonly model: string,
    private readonly graceMs: number,
  ) {}

  /** Aborted when the generation is stopped; passed to the Gemini request. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  get stopReason(): StopReason | undefined {
    return this.stopReasonValue
  }

  get ended(): boolean {
    return this.events.at(-1)?.type === 'end'
  }

  get lastSeq(): number {
    return this.events.length
  }

  /** The event with this seq, if it happened. */
  eventAt(seq: number): GenerationEvent | undefined {
    return seq >= 1 ? this.events[seq - 1] : undefined
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  /** Assigns the next seq and delivers the event to every listener, in order. */
  emit(event: NewGenerationEvent): GenerationEvent {
    if (this.ended) throw new Error(`generation ${this.messageId} has ended; cannot emit ${event.type}`)
    const sequenced = { ...event, seq: this.events.length + 1 } as GenerationEvent
    this.events.push(sequenced)
    for (const attached of [...this.listeners]) this.deliver(attached, sequenced)
    if (sequenced.type === 'end') {
      clearTimeout(this.graceTimer)
      // Nothing follows the end: whoever still listens is let go of, so a finished generation holds no client.
      this.listeners.clear()
      const callbacks = [...this.endedCallbacks]
      this.endedCallbacks.clear()
      for (const callback of callbacks) callback()
    }
    return sequenced
  }

  /**
   * Replays what the listener missed, then delivers live events until the end. A generation that has ended
   * replays and keeps nothing. Prefer follow() (follow.ts), which every client uses.
   */
  subscribe(listener: Listener, { afterSeq = 0, audience = true }: Subscription = {}): Dispose {
    const attached: Attached = { listener, audience }
    this.listeners.add(attached)
    if (audience && !this.ended) clearTimeout(this.graceTimer)
    for (const event of this.events.slice(Math.max(0, afterSeq))) {
      if (!this.listeners.has(attached)) break
      this.deliver(attached, event)
    }
    if (this.ended) this.listeners.delete(attached)
    return () => this.detach(attached)
  }

  /** Runs once the end event has been delivered (at once if it already was). */
  onEnded(callback: () => void): Dispose {
    if (this.ended) {
      callback()
      return () => {}
    }
    // Wrapped so the same function registered twice is two registrations, each with its own Dispose.
    const once = (): void => callback()
    this.endedCallbacks.add(once)
    return () => {
      this.endedCallbacks.delete(once)
    }
  }

  stop(reason: StopReason): void {
    if (this.ended || this.controller.signal.aborted) return
    this.stopReasonValue = reason
    this.controller.abort(new Error(`stopped: ${reason}`))
  }

  // A throwing listener is detached so it cannot hold up the others; listeners must not block.
  private deliver(attached: Attached, event: GenerationEvent): void {
    try {
      attached.listener(event)
    } catch (error) {
      console.error(`generation ${this.messageId}: a listener failed and was detached:`, (error as Error).message)
      this.detach(attached)
    }
  }

  private detach(attached: Attached): void {
    if (!this.listeners.delete(attached) || !attached.audience || this.ended) return
    const audienceLeft = [...this.listeners].some((l) => l.audience)
    if (!audienceLeft) {
      clearTimeout(this.graceTimer)
      this.graceTimer = setTimeout(() => this.stop('abandoned'), this.graceMs)
      this.graceTimer.unref()
    }
  }
}
