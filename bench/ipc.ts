// Control channel between the bench process and its children (emulator, core). Only a handful of messages
// cross it, all between phases (never while a phase is being measured), so it costs the measurement nothing.
// Every reply is checked with a schema: the children are ours, but a mismatch after an edit should be a
// clear error, not a NaN in a table.
import { fork, type ChildProcess } from 'node:child_process'
import { z } from 'zod'

export type Command = 'clock' | 'phase-start' | 'phase-end' | 'memory' | 'stop'

const commandMessage = z.object({ id: z.number().int(), command: z.enum(['clock', 'phase-start', 'phase-end', 'memory', 'stop']) })
const replyMessage = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: z.string() }),
])
const readyMessage = z.object({ type: z.literal('ready'), info: z.unknown() })

// ---- child side ----------------------------------------------------------------------------------------

/** `memory` is answered only by the processes whose memory the bench reports (core, minimal relay). */
export type CommandHandlers = Record<Exclude<Command, 'memory'>, () => unknown> & { memory?: () => unknown }

/** Resolves once the message has been handed to the channel, so a disconnect after it cannot lose it. */
function send(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve()
    process.send(message, undefined, undefined, () => resolve())
  })
}

/** Tells the parent the child is up, with whatever it needs to know (e.g. the URL it listens on). */
export function announceReady(info: unknown): void {
  void send({ type: 'ready', info })
}

/**
 * Answers the parent's commands. `stop` is answered before the process exits, so the parent knows the
 * child shut down by itself. A vanished parent (crash, Ctrl-C) stops the child too: no orphans.
 */
export function serveCommands(handlers: CommandHandlers): void {
  // Stop runs once, whether asked for or because the parent went away (a stop then disconnects, too).
  let stopping: Promise<unknown> | undefined
  const stop = (): Promise<unknown> => (stopping ??= Promise.resolve().then(handlers.stop))
  const run = (command: Command): unknown => {
    if (command === 'stop') return stop()
    const handler = handlers[command]
    if (!handler) throw new Error(`this process does not answer "${command}"`)
    return handler()
  }
  process.on('message', (raw: unknown) => {
    const parsed = commandMessage.safeParse(raw)
    if (!parsed.success) return
    const { id, command } = parsed.data
    Promise.resolve()
      .then(() => run(command))
      .then(
        (result: unknown) => send({ id, ok: true, result: result ?? null }),
        (error: unknown) => send({ id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      )
      .finally(() => {
        if (command === 'stop' && process.connected) process.disconnect()
      })
  })
  process.once('disconnect', () => {
    // After a normal stop the handler has closed everything already; otherwise the parent is gone.
    void stop().finally(() => process.exit(0))
  })
}

// ---- parent side ---------------------------------------------------------------------------------------

export class BenchChild {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private readonly exited: Promise<number | null>

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
    child.on('message', (raw: unknown) => {
      const parsed = replyMessage.safeParse(raw)
      if (!parsed.success) return
      const waiter = this.pending.get(parsed.data.id)
      if (!waiter) return
      this.pending.delete(parsed.data.id)
      if (parsed.data.ok) waiter.resolve(parsed.data.result)
      else waiter.reject(new Error(`${name}: ${parsed.data.error}`))
    })
    child.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code}) before answering`))
      this.pending.clear()
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** Starts `entry` under tsx with an IPC channel and waits for its ready message. */
  static async spawn<T>(
    name: string,
    entry: string,
    env: NodeJS.ProcessEnv,
    readyInfo: z.ZodType<T>,
    timeoutMs = 30_000,
    /** More Node flags, e.g. --expose-gc for a process whose memory is measured. */
    execArgv: readonly string[] = [],
  ): Promise<{ child: BenchChild; info: T }> {
    const proc = fork(entry, [], {
      execArgv: ['--import', 'tsx', ...execArgv],
      env,
      // Children write diagnostics to our stderr; stdout stays for the report.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const child = new BenchChild(name, proc)
    const info = await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill()
        reject(new Error(`${name} did not start within ${timeoutMs} ms`))
      }, timeoutMs)
      const onMessage = (raw: unknown): void => {
        const ready = readyMessage.safeParse(raw)
        if (!ready.success) return
        clearTimeout(timer)
        proc.off('message', onMessage)
        const parsed = readyInfo.safeParse(ready.data.info)
        if (parsed.success) resolve(parsed.data)
        else reject(new Error(`${name} sent an unexpected ready message: ${parsed.error.message}`))
      }
      proc.on('message', onMessage)
      proc.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`${name} exited with code ${code} while starting`))
      })
    })
    return { child, info }
  }

  request<T>(command: Command, schema: z.ZodType<T>, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`${this.name} did not answer "${command}" within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          const parsed = schema.safeParse(value)
          if (parsed.success) resolve(parsed.data)
          else reject(new Error(`${this.name} answered "${command}" unexpectedly: ${parsed.error.message}`))
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      this.child.send({ id, command })
    })
  }

  /** Asks the child to shut down cleanly; kills it if it has not exited within `timeoutMs`. Returns its exit code. */
  async stop(timeoutMs = 10_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode
    await this.request('stop', z.unknown(), timeoutMs).catch(() => undefined)
    const timer = setTimeout(() => this.kill(), timeoutMs)
    const code = await this.exited
    clearTimeout(timer)
    return code
  }

  /** Last resort, for this one child only. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }
}
