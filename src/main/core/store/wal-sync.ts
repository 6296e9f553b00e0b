// Group commit for the request path: one fsync of the WAL, on libuv's thread pool, covers every commit made
// before it started.
//
// A commit with synchronous = NORMAL is in the WAL (and survives the application crashing) as soon as it returns;
// only a power cut can lose it before the WAL is synced. SQLite's FULL would sync inside the commit, on the main
// thread, a few ms each on an ordinary disk: with hundreds of replies starting at once that is seconds in which no
// stream is served (issue 11). fsync() makes every byte already written to the file durable, whichever descriptor
// wrote it, so one sync here after many NORMAL commits gives each of them FULL's guarantee a few ms later.
import { closeSync, fsync, openSync } from 'node:fs'

export class WalSync {
  private fd: number | undefined
  private running = false
  /** Waiting for a sync that starts after they asked (the running one may predate their commit). */
  private next: (() => void)[] = []
  private closed = false
  private reported = false
  /** Completed syncs, for the store's stats and tests. */
  syncs = 0

  constructor(
    private readonly walFile: string,
    /** Called once, for the first failure: the commits stay in the WAL and are synced at the next checkpoint. */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Asks for a sync covering every commit made so far; resolves once one has completed (or failed). */
  request(): Promise<void> {
    if (this.closed) return Promise.resolve()
    const done = new Promise<void>((resolve) => this.next.push(resolve))
    if (!this.running) this.start()
    return done
  }

  /** No more syncs; the store's close (a checkpoint) syncs the rest. */
  close(): void {
    this.closed = true
    if (!this.running) this.release()
  }

  private start(): void {
    const waiters = this.next
    this.next = []
    try {
      this.fd ??= openSync(this.walFile, 'r+')
    } catch (error) {
      this.fail(error)
      for (const resolve of waiters) resolve()
      return
    }
    this.running = true
    fsync(this.fd, (error) => {
      this.running = false
      if (error) this.fail(error)
      else this.syncs++
      for (const resolve of waiters) resolve()
      if (this.closed) this.release()
      else if (this.next.length > 0) this.start()
    })
  }

  private fail(error: unknown): void {
    if (this.reported) return
    this.reported = true
    this.onError(error)
  }

  private release(): void {
    for (const resolve of this.next.splice(0)) resolve()
    if (this.fd === undefined) return
    try {
      closeSync(this.fd)
    } catch {
      // Already gone; nothing to keep.
    }
    this.fd = undefined
  }
}
