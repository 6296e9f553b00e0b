// `npm run serve` as a child process, configured only through its environment as a user would: the way to
// test what survives a crash (SIGKILL) or to measure the server's own memory, which an in-process core cannot.
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../../src/main/core/cli/web-console'

export interface ServeProcess {
  child: ChildProcessByStdio<null, Readable, Readable>
  pid: number
  /** Where it listens, as it printed it, e.g. http://127.0.0.1:41234 */
  url: string
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string
  /** Settles when the process has ended and been reaped (its pid is free again). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Sends the signal and waits for the end; a no-op once it has ended. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

const SERVE_ENTRY = join(PROJECT_ROOT, 'src', 'main', 'core', 'cli', 'serve.ts')
const READY = /Support Console is serving on (http:\/\/\S+)/

/**
 * Starts `node --import tsx src/main/core/cli/serve.ts` and resolves once it says where it listens. `nodeArgs` go
 * before the script (the soak passes --expose-gc).
 */
export async function startServe(env: Record<string, string>, timeoutMs = 20_000, nodeArgs: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SERVE_ENTRY], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SUPPORT_CONSOLE_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  let ended = false
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      ended = true
      resolve({ code, signal })
    }),
  )
  const url = await new Promise<string>((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => fail(`serve did not start within ${timeoutMs} ms`), timeoutMs)
    const onData = (): void => {
      const match = READY.exec(output)
      if (!match?.[1] || settled) return
      settled = true
      clearTimeout(timer)
      child.stdout.off('data', onData)
      resolve(match[1])
    }
    function fail(reason: string): void {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${reason}. Its output:\n${output}`))
    }
    child.stdout.on('data', onData)
    void exited.then(({ code, signal }) => fail(`serve ended before it was ready (code ${code}, signal ${signal})`))
  })
  return {
    child,
    pid: child.pid as number,
    url,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (!ended) child.kill(signal)
      await exited
    },
  }
}
