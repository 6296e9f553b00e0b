// Child process: the real Support Console core (startCore: SQLite store, Gemini client over the SDK,
// stream hub, local SSE server), configured only through what a user would set: the environment and
// settings.json in its data folder, both prepared by bench/run.ts. The store is timed by StoreProbe from
// here, inside the process that owns it, so no timing code has to live in src/.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { loadSettings } from '../src/main/core/config/settings'
import { startCore } from '../src/main/core/support-console'
import { announceReady, serveCommands } from './ipc'
import type { CorePhase } from './messages'
import { LoadProbe } from './process-load'
import { StoreProbe } from './store-probe'
import { MemoryProbe } from './memory-probe'
import { sharedClockMs } from './clock'

/**
 * BENCH_CORE_PROFILE=<file.cpuprofile> records a V8 CPU profile of the core for the whole run (open it in
 * Chrome DevTools or VS Code) to see where the relay spends its time. Through the inspector, because
 * --cpu-prof is not allowed in NODE_OPTIONS and the bench starts this process itself.
 */
async function startProfile(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return async () => undefined
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return async () => {
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(file, JSON.stringify(profile))
    session.disconnect()
    console.error(`[bench] core CPU profile written to ${file}`)
  }
}

async function main(): Promise<void> {
  const stopProfile = await startProfile(process.env.BENCH_CORE_PROFILE)
  const settings = loadSettings(process.env)
  if (settings.maxConcurrentStreams < 2_000) throw new Error(`maxConcurrentStreams is ${settings.maxConcurrentStreams}; the bench needs ≥ 2000`)
  if (!settings.baseUrl?.startsWith('http://127.0.0.1:')) throw new Error(`GEMINI_BASE_URL must be the local emulator, got ${settings.baseUrl}`)

  const core = await startCore({ settings })
  const probe = new StoreProbe(core.store)
  const load = new LoadProbe()
  const memory = new MemoryProbe()

  serveCommands({
    clock: () => sharedClockMs(),
    'phase-start': () => {
      probe.reset()
      load.start()
    },
    'phase-end': () => {
      const stats: CorePhase = {
        store: probe.snapshot(),
        load: load.stop(),
        liveGenerations: core.hub.liveCount,
        openStreams: core.server.openStreams,
      }
      return stats
    },
    memory: () => memory.take(),
    stop: async () => {
      memory.stop()
      await core.close()
      await stopProfile()
    },
  })
  announceReady({ url: core.server.url })
}

main().catch((error: unknown) => {
  console.error('bench core could not start:', error)
  process.exit(1)
})
