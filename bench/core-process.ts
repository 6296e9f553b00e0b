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
 * BENCH_CORE_PROFILE=<file.cpuprofile> records a V8 CPU profile of the core's main thread over each measured phase
 * (<file>-1.cpuprofile, -2, ...; open them in Chrome DevTools or VS Code) to see where the relay spends its time.
 * Through the inspector, because --cpu-prof is not allowed in NODE_OPTIONS and the bench starts this process itself;
 * for the Gemini threads too, run with BENCH_CORE_FLAGS="--cpu-prof --cpu-prof-dir=<dir>" (whole run, every thread).
 */
function phaseProfiler(file: string | undefined): { start(): Promise<void>; stop(): Promise<void> } {
  if (!file) return { start: async () => undefined, stop: async () => undefined }
  const session = new Session()
  session.connect()
  let phases = 0
  return {
    async start() {
      await session.post('Profiler.enable')
      await session.post('Profiler.start')
    },
    async stop() {
      const { profile } = await session.post('Profiler.stop')
      const target = file.replace(/(\.cpuprofile)?$/, `-${++phases}.cpuprofile`)
      writeFileSync(target, JSON.stringify(profile))
      console.error(`[bench] core CPU profile of the phase written to ${target}`)
    },
  }
}

async function main(): Promise<void> {
  const profiler = phaseProfiler(process.env.BENCH_CORE_PROFILE)
  const settings = loadSettings(process.env)
  if (settings.maxConcurrentStreams < 2_000) throw new Error(`maxConcurrentStreams is ${settings.maxConcurrentStreams}; the bench needs ≥ 2000`)
  if (!settings.baseUrl?.startsWith('http://127.0.0.1:')) throw new Error(`GEMINI_BASE_URL must be the local emulator, got ${settings.baseUrl}`)

  const core = await startCore({ settings })
  const probe = new StoreProbe(core.store)
  const load = new LoadProbe()
  const memory = new MemoryProbe()

  serveCommands({
    clock: () => sharedClockMs(),
    'phase-start': async () => {
      await profiler.start()
      probe.reset()
      load.start()
    },
    'phase-end': async () => {
      const stats: CorePhase = {
        store: probe.snapshot(),
        load: load.stop(),
        liveGenerations: core.hub.liveCount,
        openStreams: core.server.openStreams,
      }
      // After the figures, so writing the profile is not counted in them.
      await profiler.stop()
      return stats
    },
    memory: () => memory.take(),
    stop: async () => {
      memory.stop()
      await core.close()
    },
  })
  announceReady({ url: core.server.url })
}

main().catch((error: unknown) => {
  console.error('bench core could not start:', error)
  process.exit(1)
})
