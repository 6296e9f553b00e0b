// Batches streamed draft text in memory and writes it at a fixed interval; holds on to what cannot be written.
//
// Gemini sends many small deltas a second per draft, and 100 drafts may stream at once. A write per
// delta would be thousands of transactions a second; instead each draft's text is concatenated here
// and a single timer writes every pending draft in one transaction. A crash loses at most one interval.
// The timer is armed only while something is pending and is unref'd, so an idle store costs nothing
// and never keeps the process alive.
//
// When writing fails (a full disk, a read-only folder) the text stays here, together with the final result
// of any draft that finished meanwhile, and is retried with backoff until a write succeeds. A failure is
// reported once when it starts and once when it ends: a full disk must not also fill the log.

export type WriteBatch<F> = (texts: ReadonlyMap<number, string>, finals: ReadonlyMap<number, F>) => void

export interface FlusherOptions {
  /** First retry after a failed write; doubles per failure. Default 500 ms. */
  firstRetryMs?: number
  /** Longest wait between retries. Default 30 s. */
  maxRetryMs?: number
  /** Called once when writes work again after failing, with how long they failed. */
  onRecovered?: (failedForMs: number) => void
}

/** A message's text and final result that have not reached the database. */
export interface Unsaved<F> {
  messageId: number
  text: string
  final: F | undefined
}

export class TextFlusher<F = never> {
  private pending = new Map<number, string>()
  private finals = new Map<number, F>()
  private timer: NodeJS.Timeout | null = null
  /** When the current run of failed writes began; null while writes work. */
  private failingSince: number | null = null
  private retryDelayMs = 0
  private readonly firstRetryMs: number
  private readonly maxRetryMs: number

  constructor(
    private readonly intervalMs: number,
    /** Writes the whole batch in one transaction, or throws having written nothing. */
    private readonly writeBatch: WriteBatch<F>,
    /** Called once when writes start failing; the text stays pending and is retried. */
    private readonly onError: (error: unknown) => void,
    private readonly options: FlusherOptions = {},
  ) {
    this.firstRetryMs = options.firstRetryMs ?? 500
    this.maxRetryMs = options.maxRetryMs ?? 30_000
  }

  append(messageId: number, text: string): void {
    if (text.length === 0) return
    // String concatenation in V8 builds ropes, so repeated appends stay cheap until the flush reads them.
    this.pending.set(messageId, (this.pending.get(messageId) ?? '') + text)
    this.arm()
  }

  /** Text appended for a message but not yet written. */
  peek(messageId: number): string {
    return this.pending.get(messageId) ?? ''
  }

  /** The final result kept for a message whose finish could not be written, if any. */
  finalOf(messageId: number): F | undefined {
    return this.finals.get(messageId)
  }

  /**
   * The message's final result could not be written (the write failed with `error`): keep it, and write it
   * after the message's pending text at the first flush that succeeds.
   */
  keepFinal(messageId: number, final: F, error: unknown): void {
    this.finals.set(messageId, final)
    this.failed(error)
  }

  /** Forgets a message's pending text and result: they were written by someone else, or its row is gone. */
  discard(messageId: number): void {
    this.pending.delete(messageId)
    this.finals.delete(messageId)
    if (!this.hasPending) this.disarm()
  }

  get hasPending(): boolean {
    return this.pending.size > 0 || this.finals.size > 0
  }

  /** Whether the last write failed (and nothing has been written since). */
  get failing(): boolean {
    return this.failingSince !== null
  }

  /** Everything not yet written, by message. */
  unsaved(): Unsaved<F>[] {
    const ids = new Set([...this.pending.keys(), ...this.finals.keys()])
    return [...ids].map((messageId) => ({ messageId, text: this.peek(messageId), final: this.finals.get(messageId) }))
  }

  /** Writes everything pending now. Throws if the write fails; everything then stays pending. */
  flush(): void {
    this.disarm()
    if (!this.hasPending) return
    try {
      this.writeBatch(this.pending, this.finals)
    } catch (error) {
      // Nothing can have been appended meanwhile (the write is synchronous), so keeping the maps as
      // they were is exact: nothing is lost or written twice.
      this.failed(error)
      throw error
    }
    this.pending = new Map()
    this.finals = new Map()
    if (this.failingSince !== null) {
      const failedForMs = Date.now() - this.failingSince
      this.failingSince = null
      this.options.onRecovered?.(failedForMs)
    }
  }

  dispose(): void {
    this.disarm()
    this.pending.clear()
    this.finals.clear()
  }

  /** A write failed: report it if it starts a failing run, and retry later, each time waiting longer. */
  private failed(error: unknown): void {
    if (this.failingSince === null) {
      this.failingSince = Date.now()
      this.retryDelayMs = this.firstRetryMs
      this.onError(error)
    } else {
      this.retryDelayMs = Math.min(this.maxRetryMs, this.retryDelayMs * 2)
    }
    this.disarm()
    this.arm()
  }

  private arm(): void {
    if (this.timer !== null) return
    this.timer = setTimeout(
      () => {
        this.timer = null
        try {
          this.flush()
        } catch {
          // Reported by failed() when the run of failures began; flush() re-armed the retry.
        }
      },
      this.failingSince === null ? this.intervalMs : this.retryDelayMs,
    )
    this.timer.unref()
  }

  private disarm(): void {
    if (this.timer === null) return
    clearTimeout(this.timer)
    this.timer = null
  }
}
