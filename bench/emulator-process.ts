// Child process: the Gemini emulator, streaming the benchmark reply (bench/reply-script.ts) to every
// request, each chunk stamped with its send time. Its own process, so its timers and writes do not share
// an event loop with the relay or the clients it is measured against.
import { GeminiEmulator } from '../test/emulator/gemini-emulator'
import { announceReady, serveCommands } from './ipc'
import { LoadProbe } from './process-load'
import { BENCH_API_KEY, benchReply } from './reply-script'
import { sharedClockMs } from './clock'
import type { EmulatorPhase } from './messages'

async function main(): Promise<void> {
  const emulator = await GeminiEmulator.start({ apiKey: BENCH_API_KEY, host: '127.0.0.1' })
  emulator.setDefaultReply(benchReply)
  const load = new LoadProbe()
  let peak = 0
  let sampler: NodeJS.Timeout | undefined

  serveCommands({
    clock: () => sharedClockMs(),
    'phase-start': () => {
      // The emulator records every request for tests; here that would only grow the heap phase after phase.
      emulator.requests.length = 0
      peak = 0
      clearInterval(sampler)
      sampler = setInterval(() => (peak = Math.max(peak, emulator.openStreams)), 20)
      load.start()
    },
    'phase-end': () => {
      clearInterval(sampler)
      const stats: EmulatorPhase = { peakOpenStreams: peak, requests: emulator.requests.length, load: load.stop() }
      return stats
    },
    stop: async () => {
      clearInterval(sampler)
      await emulator.close()
    },
  })
  announceReady({ url: emulator.url })
}

main().catch((error: unknown) => {
  console.error('bench emulator could not start:', error)
  process.exit(1)
})
