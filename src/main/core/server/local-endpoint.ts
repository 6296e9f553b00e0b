// The local server as a part of the core that may be off. `npm run serve` (web mode) cannot work without it, so
// there a server that cannot listen stops start-up. The desktop app's window talks to the core over IPC, so
// there the core starts without it, says why, and listens again when the agent picks another port (or retries).
import type { EndpointView } from '../../../shared/api'
import { LocalServer, type LocalServerDeps } from './local-server'

/** 'required': a server that cannot listen fails start-up. 'optional': the core runs on without it. */
export type EndpointMode = 'required' | 'optional'

/** Where it listens (url), or why it does not (problem, a sentence naming the port). */
export type EndpointState = Pick<EndpointView, 'url' | 'status' | 'problem'>

export class LocalEndpoint {
  private server: LocalServer | undefined
  private problem: string | null = null
  // Reopening and closing run one after another, so two quick changes of port never race for the server.
  private queue: Promise<void> = Promise.resolve()
  private closed = false

  private constructor(
    private readonly deps: LocalServerDeps,
    readonly mode: EndpointMode,
  ) {}

  /** Listens on the port the settings hold; rejects only in 'required' mode. */
  static async start(deps: LocalServerDeps, mode: EndpointMode): Promise<LocalEndpoint> {
    const endpoint = new LocalEndpoint(deps, mode)
    if (mode === 'required') endpoint.server = await LocalServer.start(deps)
    else await endpoint.listen()
    return endpoint
  }

  /** The running server, or undefined while the endpoint is off (only ever in 'optional' mode). */
  get current(): LocalServer | undefined {
    return this.server
  }

  state(): EndpointState {
    const { server, problem } = this
    return server ? { url: server.url, status: 'listening', problem: null } : { url: null, status: 'unavailable', problem }
  }

  /**
   * Closes the server (its open streams end; clients reconnect to the new address) and listens on the port the
   * settings now hold. A port that cannot be used leaves the endpoint off, with the reason in state().
   */
  reopen(): Promise<void> {
    return this.enqueue(async () => {
      if (this.closed) return
      const old = this.server
      this.server = undefined
      await old?.close()
      await this.listen()
    })
  }

  /** Closes the server for good: a reopen() still queued does nothing. */
  close(): Promise<void> {
    this.closed = true
    return this.enqueue(async () => {
      const old = this.server
      this.server = undefined
      await old?.close()
    })
  }

  private async listen(): Promise<void> {
    const { host, port } = this.deps.settings()
    try {
      this.server = await LocalServer.start(this.deps)
      this.problem = null
    } catch (error) {
      this.problem = describeListenFailure(error, host, port)
      console.warn(`The local endpoint for integrations is off: ${this.problem}`)
    }
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step)
    // A failed step must not block the ones after it; its caller still sees the failure.
    this.queue = next.catch(() => undefined)
    return next
  }
}

/** Why listening failed, for an agent: what is wrong with the port or address, and nothing about internals. */
export function describeListenFailure(error: unknown, host: string, port: number): string {
  const code = errnoCode(error)
  if (code === 'EADDRINUSE') return `Port ${port} is in use by another program.`
  if (code === 'EACCES') return `Port ${port} may not be used by this account (ports below 1024 usually need administrator rights).`
  if (code === 'EADDRNOTAVAIL') return `The address ${host} is not one of this computer's.`
  return `Port ${port} on ${host} could not be opened (${code ?? (error instanceof Error ? error.message : String(error))}).`
}

// LocalServer.start rewords "address in use" for `npm run serve` and keeps the system error as the cause.
function errnoCode(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code } = e as NodeJS.ErrnoException
    if (typeof code === 'string') return code
  }
  return undefined
}
