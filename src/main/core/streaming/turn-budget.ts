// Work that must not hold the main thread's event loop in one piece: in the desktop app that thread also carries IPC
// to the window, and in the relay it writes every client's socket. Two kinds of work arrive in bursts:
// - requests: 300 integrations starting drafts at the same moment arrive in one turn of the event loop, and each
//   start (checks, the commit that saves the customer's message and the draft, the hand-over to a Gemini thread)
//   would run back to back;
// - Gemini events: drafts started together stream in step, so a Gemini thread sends hundreds of chunks (and, at the
//   end, hundreds of finishes, each a commit) in one message.
// Issue 11 measured single turns of 130–440 ms at 300 drafts. Queued here, the work runs in order, at most
// `budgetMs` of it per turn and the rest in the next turn, after the I/O waiting in between.
/**
 * The budget of each kind of work (requests, Gemini events), so together at most 4 ms of a turn: a tenth of issue
 * 11's 20 ms event-loop goal each, since a turn also flushes drafts' text, writes sockets and answers IPC. At about
 * 0.4 ms a draft start, some five starts a turn. With 5 ms, the loop's p99 at 300 streams sat at the goal (19–20.5 ms
 * over four runs); with 2 ms it was 12.8 and 16.0 ms.
 */
export const TURN_BUDGET_MS = 2

/** Tasks run before the queue drops them, when it has not emptied in between. */
const COMPACT_AFTER = 1_024

export class TurnBudget {
  readonly #queue: (() => void)[] = []
  #next = 0
  #scheduled = false

  constructor(
    private readonly budgetMs: number,
    /** Names the work in the log line of a task that throws. */
    private readonly what: string,
  ) {}

  /** Runs `task` later in this turn (after its I/O callbacks) or, past the budget, in a later one; in order. */
  run(task: () => void): void {
    this.#queue.push(task)
    if (!this.#scheduled) {
      this.#scheduled = true
      setImmediate(this.#drain)
    }
  }

  /** Tasks waiting for a turn (tests). */
  get waiting(): number {
    return this.#queue.length - this.#next
  }

  readonly #drain = (): void => {
    const until = performance.now() + this.budgetMs
    do {
      const task = this.#queue[this.#next++] as () => void
      try {
        task()
      } catch (error) {
        // A task handles its own failures (a request answers with its error); one that does not must not cost the
        // rest of the queue its turn.
        console.error(`[${this.what}] a queued task failed:`, error)
      }
    } while (this.#next < this.#queue.length && performance.now() < until)
    if (this.#next < this.#queue.length) {
      // Under sustained load the queue may never empty: drop what has run, so it holds only what waits.
      if (this.#next >= COMPACT_AFTER) {
        this.#queue.splice(0, this.#next)
        this.#next = 0
      }
      // setImmediate from within the check phase runs in the next turn, after the poll phase's I/O.
      setImmediate(this.#drain)
      return
    }
    this.#queue.length = 0
    this.#next = 0
    this.#scheduled = false
  }
}
