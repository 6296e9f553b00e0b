// WAL checkpoints on a worker thread, so the thread that serves streams (and, in the desktop app, IPC to the
// window) never waits for one.
//
// SQLite checkpoints automatically inside the commit that takes the WAL past 1,000 pages: that commit then copies
// the pages into the database and fsyncs both files, on whichever thread committed. Measured at 300 concurrent
// drafts on an ordinary disk, one such commit held the main thread for over 200 ms (issue 11). The store turns the
// automatic checkpoint off on its own connection, and this worker runs a PASSIVE checkpoint on its own connection
// instead, once the WAL has grown as large as SQLite's own threshold (checked every interval, by the file's size):
// PASSIVE never waits for the writer or readers, and the writer never waits for it.
//
// The worker is evaluated from source rather than loaded from a file, so it runs the same under tsx, vitest and
// the bundled Electron main process; it loads the same better-sqlite3 (and native addon) as the store.
import { stat } from 'node:fs'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.module)
const closed = new Int32Array(workerData.closed)
const db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {})
db.pragma('busy_timeout = 5000')
parentPort.on('message', (message) => {
  if (message === 'close') {
    try {
      db.close()
    } finally {
      Atomics.store(closed, 0, 1)
      Atomics.notify(closed, 0)
      parentPort.close()
    }
    return
  }
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ ok: true, pages: result.log, copied: result.checkpointed })
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && (error.code || error.message)) || error) })
  }
})
`

/** A checkpoint still running when the store closes is waited for up to this long. */
const CLOSE_WAIT_MS = 5_000

type Reply = { ok: true; pages: number; copied: number } | { ok: false; error: string }

export interface CheckpointerOptions {
  /** How often the WAL's size is looked at. */
  intervalMs?: number
  /** The WAL's size from which a checkpoint runs: SQLite's automatic threshold, 1,000 pages of 4 KiB. */
  thresholdBytes?: number
  nativeBinding?: string
  /** Called once, for the first failed checkpoint (a full disk); later ones are still tried. */
  onError: (error: string) => void
  /** The worker itself is gone: the store must checkpoint on its own again. */
  onStopped: () => void
}

export class Checkpointer {
  /** Started at the first checkpoint: a store whose WAL never grows that far (most tests, a quiet day) has none. */
  private worker: Worker | undefined
  private readonly timer: NodeJS.Timeout
  private busy = false
  private reported = false
  private closed = false
  /** Set to 1 by the worker once its connection is closed. */
  private readonly workerClosed = new Int32Array(new SharedArrayBuffer(4))
  /** Checkpoints run, and the WAL pages the last one found: for tests and the bench. */
  runs = 0
  lastPages = 0

  constructor(
    private readonly file: string,
    private readonly options: CheckpointerOptions,
  ) {
    const walFile = `${file}-wal`
    const threshold = options.thresholdBytes ?? 1_000 * 4_096
    this.timer = setInterval(() => {
      if (this.busy || this.closed) return
      // Asynchronous, like the checkpoint itself: nothing here costs the main thread more than a callback.
      stat(walFile, (error, stats) => {
        if (!error && stats.size >= threshold) this.checkpoint()
      })
    }, options.intervalMs ?? 250)
    // Keeps no process alive: an idle store costs nothing and never holds up an exit.
    this.timer.unref()
  }

  /** Asks for a checkpoint now, unless one is running. */
  checkpoint(): void {
    if (this.busy || this.closed) return
    this.busy = true
    ;(this.worker ??= this.startWorker()).postMessage('checkpoint')
  }

  private startWorker(): Worker {
    const { file, options } = this
    const module = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, module, nativeBinding: options.nativeBinding, closed: this.workerClosed.buffer },
    })
    worker.unref()
    worker.on('message', (reply: Reply) => {
      this.busy = false
      if (reply.ok) {
        this.runs++
        this.lastPages = reply.pages
      } else if (!this.reported) {
        this.reported = true
        options.onError(reply.error)
      }
    })
    worker.on('error', (error) => {
      if (!this.reported) options.onError(error.message)
      this.reported = true
    })
    worker.on('exit', () => {
      if (!this.closed) options.onStopped()
      this.closed = true
      clearInterval(this.timer)
    })
    return worker
  }

  /**
   * Stops the timer and closes the worker's connection, waiting (at most CLOSE_WAIT_MS, once per store) until it
   * has: the store's own close must then be the last connection, which checkpoints the rest and removes the WAL.
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    if (!this.worker) return
    this.worker.postMessage('close')
    Atomics.wait(this.workerClosed, 0, 0, CLOSE_WAIT_MS)
  }
}
