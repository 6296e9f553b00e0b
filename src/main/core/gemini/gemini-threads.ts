// GeminiClient on worker threads: the ReplyModel the core uses. Each draft goes to the thread with the fewest
// running; that thread runs the SDK's stream (gemini-thread.ts) and sends back the events, which are handed to the
// draft's sink here, on the main thread, in order. Issue 11: the SDK's stream path was about a third of the relay's
// CPU and most of its garbage; on its own thread it uses the second core, and the main thread's event loop (IPC to
// the window in the desktop app, every SSE client in the relay) is not held up by it.
//
// The contract is GeminiClient's, unchanged: events in order, exactly one closing `end` or `error`, never a
// rejection. A thread that dies mid-draft ends each of its drafts with an error (their text so far is kept by the
// caller) and is replaced at the next draft; a thread that cannot start at all (a packaged build without its entry
// file) is reported once and its drafts, and all later ones, run on the main thread instead.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { DraftError } from '../../../shared/domain'
import { GeminiClient } from './client'
import * as errors from './errors'
import { replyIterable } from './reply-iterable'
import type { FromThread, ThreadClientOptions, ToThread } from './thread-protocol'
import type { GeminiClientOptions, ReplyEvent, ReplyModel, ReplyRequest, ReplySink } from './types'

export interface GeminiThreadsOptions {
  client: GeminiClientOptions
  /** At most this many threads, started as drafts need them (one while drafts come one at a time). */
  threads: number
  /**
   * Runs the delivery of each event on the main thread. Default: at once. The core passes a TurnBudget
   * (streaming/turn-budget.ts), so a thread's message with hundreds of events is spread over turns of the event loop.
   * Tasks must run in the order given.
   */
  schedule?: (task: () => void) => void
  /**
   * A thread with no draft for this long is replaced (default IDLE_STOP_MS): its heap goes with it. An idle worker
   * never collects its garbage, so after a burst of drafts it would hold it until the next one. The last thread is
   * replaced by a fresh one, so the next draft does not wait for a thread to start.
   */
  idleStopMs?: number
  /**
   * The thread's entry module. Default: gemini-thread.ts beside this file, for tsx and vitest; the desktop app's
   * bundle passes its own built copy.
   */
  entry?: URL
}

interface Draft {
  request: ReplyRequest
  sink: ReplySink
  done: () => void
  onAbort: () => void
}

const DEFAULT_ENTRY = new URL('./gemini-thread.ts', import.meta.url)
/**
 * Issue 11's memory goal: RSS back within 20 MB of its warm baseline a minute after 1,000 drafts at once; the idle
 * thread held 110 MB more. A fresh thread takes 30–40 ms to start from the built bundle (about 150 ms from source
 * under tsx), which is why the last one is replaced rather than stopped.
 */
export const IDLE_STOP_MS = 30_000

class Thread {
  readonly drafts = new Map<number, Draft>()
  readonly worker: Worker
  /** Runs while the thread has no draft; stops it when it fires. */
  idleTimer: NodeJS.Timeout | undefined
  /** Set by the thread's first message, sent once its module has loaded. */
  online = false

  constructor(entry: URL, onMessage: (thread: Thread, message: FromThread) => void, onExit: (thread: Thread, why: string) => void) {
    this.worker = entry.pathname.endsWith('.ts')
      ? new Worker(withTypeScript(entry), { eval: true, name: 'gemini' })
      : new Worker(entry, { name: 'gemini' })
    // A thread never keeps the process alive: whatever waits on a draft (a client's socket, a window) does.
    this.worker.unref()
    let why = 'it exited'
    this.worker.on('message', (message: FromThread) => {
      this.online = true
      onMessage(this, message)
    })
    this.worker.on('error', (error) => (why = error.message))
    this.worker.once('exit', (code) => onExit(this, code === 0 ? why : `${why}, code ${code}`))
  }

  post(message: ToThread): void {
    this.worker.postMessage(message)
  }
}

/**
 * A .ts entry (tsx, vitest): the thread registers tsx's loader before importing it. `--import tsx` in the thread's
 * execArgv is not enough on Node 20: the hooks it registers do not apply to a worker's own entry module.
 */
function withTypeScript(entry: URL): string {
  // tsx's ESM API by its package's own exports map ("import" condition): the CommonJS build registers a path that
  // does not exist when it is loaded from an ES module.
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json')
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { './esm/api': { import: { default: string } } } }
  const api = new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}) })`
}

export class GeminiThreads implements ReplyModel {
  readonly #options: GeminiThreadsOptions
  /** The client's options as each draft's start message carries them: everything but the key getter. */
  readonly #threadOptions: ThreadClientOptions
  readonly #schedule: (task: () => void) => void
  readonly #threads: Thread[] = []
  /** Drafts run here once threads could not start. */
  #fallback: GeminiClient | undefined
  #nextId = 1
  #started = 0
  #closed = false

  constructor(options: GeminiThreadsOptions) {
    this.#options = { ...options, threads: Math.max(1, Math.floor(options.threads)) }
    const { apiKey: _readPerDraft, ...threadOptions } = options.client
    this.#threadOptions = threadOptions
    this.#schedule = options.schedule ?? ((task) => task())
  }

  /** Threads running now (tests and the bench read it). */
  get threadCount(): number {
    return this.#threads.length
  }

  /** Threads started so far, replacements included (tests read it). */
  get threadsStarted(): number {
    return this.#started
  }

  /** Whether drafts now run on the main thread because no thread could start. */
  get onMainThread(): boolean {
    return this.#fallback !== undefined
  }

  streamReply(request: ReplyRequest): AsyncIterable<ReplyEvent> {
    return replyIterable((r, sink) => this.deliverReply(r, sink), request)
  }

  deliverReply(request: ReplyRequest, sink: ReplySink): Promise<void> {
    if (this.#fallback) return this.#fallback.deliverReply(request, sink)
    if (this.#closed || request.signal.aborted) {
      sink({ type: 'error', error: errors.cancelled(), finishReason: null })
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      const id = this.#nextId++
      const thread = this.#pick()
      clearTimeout(thread.idleTimer)
      const onAbort = (): void => thread.post({ type: 'abort', id })
      request.signal.addEventListener('abort', onAbort, { once: true })
      thread.drafts.set(id, { request, sink, done: resolve, onAbort })
      thread.post({
        type: 'start',
        id,
        model: request.model,
        systemInstruction: request.systemInstruction,
        turns: request.turns,
        apiKey: this.#options.client.apiKey(),
        options: this.#threadOptions,
      })
    })
  }

  /** Ends every thread; drafts still running end as cancelled (the core stops its drafts before this). */
  async close(): Promise<void> {
    this.#closed = true
    const threads = this.#threads.splice(0)
    for (const thread of threads) {
      clearTimeout(thread.idleTimer)
      this.#endAll(thread, () => errors.cancelled())
    }
    await Promise.all(threads.map((thread) => thread.worker.terminate()))
  }

  /** The thread with the fewest drafts; a new one while all are busy and there is room for it. */
  #pick(): Thread {
    let best: Thread | undefined
    for (const thread of this.#threads) if (!best || thread.drafts.size < best.drafts.size) best = thread
    if (best && (best.drafts.size === 0 || this.#threads.length >= this.#options.threads)) return best
    return this.#start()
  }

  #start(): Thread {
    const thread = new Thread(
      this.#options.entry ?? DEFAULT_ENTRY,
      (from, message) => this.#receive(from, message),
      (from, why) => this.#exited(from, why),
    )
    this.#started++
    this.#threads.push(thread)
    return thread
  }

  #receive(thread: Thread, message: FromThread): void {
    for (const [id, event] of message.events) this.#schedule(() => this.#deliver(thread, id, event))
  }

  #deliver(thread: Thread, id: number, event: ReplyEvent): void {
    // Gone when the draft already ended: its thread died, or the pool closed, while this event waited its turn.
    const draft = thread.drafts.get(id)
    if (!draft) return
    const closing = event.type === 'end' || event.type === 'error'
    if (closing) this.#finish(thread, id, draft)
    draft.sink(event)
    if (closing) draft.done()
  }

  #finish(thread: Thread, id: number, draft: Draft): void {
    thread.drafts.delete(id)
    draft.request.signal.removeEventListener('abort', draft.onAbort)
    if (thread.drafts.size === 0 && this.#threads.includes(thread)) {
      thread.idleTimer = setTimeout(() => this.#stopIdle(thread), this.#options.idleStopMs ?? IDLE_STOP_MS)
      thread.idleTimer.unref()
    }
  }

  #stopIdle(thread: Thread): void {
    const index = this.#threads.indexOf(thread)
    if (index < 0 || thread.drafts.size > 0) return
    this.#threads.splice(index, 1)
    void thread.worker.terminate()
    // Gets no idle timer until it has run a draft: a pool left alone keeps one small, fresh thread.
    if (this.#threads.length === 0 && !this.#closed && !this.#fallback) this.#start()
  }

  #exited(thread: Thread, why: string): void {
    const index = this.#threads.indexOf(thread)
    if (index < 0) return // closed by us
    this.#threads.splice(index, 1)
    if (thread.online) {
      console.error(`[gemini] a drafting thread stopped (${why}); ${thread.drafts.size} draft(s) on it end with an error`)
      this.#endAll(thread, () => errors.threadStopped(why))
      return
    }
    // It never ran: nothing was sent for its drafts, so they can start again, here.
    if (!this.#fallback) console.error(`[gemini] the drafting thread could not start (${why}); drafts run on the main thread instead`)
    this.#fallback ??= new GeminiClient(this.#options.client)
    for (const [id, draft] of thread.drafts) {
      this.#finish(thread, id, draft)
      void this.#fallback.deliverReply(draft.request, draft.sink).then(draft.done)
    }
  }

  #endAll(thread: Thread, error: () => DraftError): void {
    for (const [id, draft] of thread.drafts) {
      this.#finish(thread, id, draft)
      draft.sink({ type: 'error', error: error(), finishReason: null })
      draft.done()
    }
  }
}
