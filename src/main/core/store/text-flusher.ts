// Batches streamed draft text in memory and writes it at a fixed interval.
//
// Gemini sends many small deltas a second per draft, and 100 drafts may stream at once. A write per
// delta would be thousands of transactions a second; instead each draft's text is concatenated here
// and a single timer writes every pending draft in one transaction. A crash loses at most one interval.
// The timer is armed only while something is pending and is unref'd, so an idle store costs nothing
// and never keeps the process alive.

export type WriteBatch = (batch: ReadonlyMap<number, string>) => void

export class TextFlusher {
  private pending = new Map<number, string>()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly intervalMs: number,
    /** Writes the whole batch in one transaction, or throws having written nothing. */
    private readonly writeBatch: WriteBatch,
    /** Where a failed timer flush is reported; the text stays pending and is retried. */
    private readonly onError: (error: unknown) => void,
  ) {}

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

  /** Forgets a message's pending text: it was written by someone else (finishDraft) or its row is gone. */
  discard(messageId: number): void {
    this.pending.delete(messageId)
    if (this.pending.size === 0) this.disarm()
  }

  get hasPending(): boolean {
    return this.pending.size > 0
  }

  /** Writes everything pending now. Throws if the write fails; the text then stays pending. */
  flush(): void {
    this.disarm()
    if (this.pending.size === 0) return
    const batch = this.pending
    try {
      this.writeBatch(batch)
    } catch (error) {
      // Nothing can have been appended meanwhile (the write is synchronous), so keeping the map as
      // it was is exact: nothing is lost or written twice.
      this.arm()
      throw error
    }
    this.pending = new Map()
  }

  dispose(): void {
    this.disarm()
    this.pending.clear()
  }

  private arm(): void {
    if (this.timer !== null) return
    this.timer = setTimeout(() => {
      this.timer = null
      try {
        this.flush()
      } catch (error) {
        this.onError(error)
      }
    }, this.intervalMs)
    this.timer.unref()
  }

  private disarm(): void {
    if (this.timer === null) return
    clearTimeout(this.timer)
    this.timer = null
  }
}
