// `npm run bench`: the side-by-side table (Support Console, the seed's design on gunicorn, a minimal SDK relay and a
// bare one; bench/compare.ts), relay latency (emulator, core and clients in three processes), transcript-store
// write throughput, synchronous=NORMAL vs FULL, knowledge-base retrieval quality and speed, the review archive
// (100,000 conversations, 1,000,000 messages; bench/archive.ts in a process of its own, so its peak memory is its
// own), and the React console in Chromium while a long draft streams. `npm run bench -- --quick` runs only the
// side-by-side table, with fewer rounds (a few minutes). Progress goes to stderr; the report (markdown tables) to
// stdout, ready to paste.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { SETTINGS_FILE, type SettingsFile } from '../src/main/core/config/settings'
import { measureClockOffset, type ClockOffset } from './clock'
import { runComparison, type SystemId } from './compare'
import { renderComparison } from './compare-report'
import { fdLimitWarning, readFdLimit } from './fd-limit'
import { BenchChild } from './ipc'
import { loadAverage, machineDelta, machineSnapshot } from './machine-counters'
import { corePhaseSchema, emulatorPhaseSchema, readyInfoSchema } from './messages'
import { LoadProbe } from './process-load'
import { machineLine, renderReport, type LatencyRun } from './report'
import { ensureWebConsoleBuilt, renderRendererStreamSection, runRendererStreamBench } from './renderer-stream'
import { BENCH_API_KEY, BENCH_MODEL, CHUNK_INTERVAL_MS, REPLY_CHUNKS } from './reply-script'
import { directTarget, relayTarget, runPhase, type Connections, type LoadTarget } from './sse-load'
import { runStoreThroughput, type StoreThroughputResult } from './store-throughput'
import { renderSynchronousTable, runSynchronousBench } from './synchronous'
import { runRetrievalBench } from './retrieval'

/** Concurrency levels; rounds make the small levels yield enough samples for a p99 worth printing. */
const LEVELS: readonly { concurrency: number; rounds: number; connections: Connections }[] = [
  { concurrency: 1, rounds: 20, connections: 'warm' },
  { concurrency: 100, rounds: 3, connections: 'warm' },
  { concurrency: 1_000, rounds: 2, connections: 'warm' },
  // What 1,000 EventSources connecting at the same moment meet, listen queue included.
  { concurrency: 1_000, rounds: 1, connections: 'cold' },
]
const WARM_UP = { concurrency: 50, rounds: 1, connections: 'warm' } as const
/** One phase (all rounds of one level on one path); a stuck phase is cut here and reported as timeouts. */
const PHASE_LIMIT_MS = 45_000
const QUICK = process.argv.includes('--quick')
/** `--only=console,seed` and `--levels=100,300`: a part of the side-by-side table, for working on one system. */
const listArg = (name: string): string[] | undefined =>
  process.argv
    .find((arg) => arg.startsWith(`--${name}=`))
    ?.slice(name.length + 3)
    .split(',')
const ONLY = listArg('only') as SystemId[] | undefined
const ONLY_LEVELS = listArg('levels')?.map(Number)
/** The whole bench; past this everything is stopped and the run fails. */
const TOTAL_LIMIT_MS = QUICK ? 360_000 : 1_800_000
/** Lets the last streams' closing work (finishDraft, socket close) land before the children are asked for stats. */
const SETTLE_MS = 300
/** maxConcurrentStreams for the core: 1,000 clients with ample room. */
const MAX_STREAMS = 5_000
const STORE_RUNS = [150, 16, 1].map((flushIntervalMs) => ({ drafts: 100, chunksPerDraft: 2_000, flushIntervalMs }))

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url))
const progress = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`)
}

const children: BenchChild[] = []
const tempDirs: string[] = []

function cleanUpNow(): void {
  for (const child of children) child.kill()
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
}

async function startChildren(): Promise<{ emulator: BenchChild; core: BenchChild; emulatorUrl: string; coreUrl: string; token: string }> {
  const { child: emulator, info: emulatorInfo } = await BenchChild.spawn('emulator', here('./emulator-process.ts'), process.env, readyInfoSchema)
  children.push(emulator)

  const dataDir = mkdtempSync(join(tmpdir(), 'sc-bench-core-'))
  tempDirs.push(dataDir)
  const settings: SettingsFile = { maxConcurrentStreams: MAX_STREAMS }
  writeFileSync(join(dataDir, SETTINGS_FILE), JSON.stringify(settings))
  const token = randomBytes(24).toString('base64url')
  // Configured as a user would configure `npm run serve`: environment plus settings.json.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SUPPORT_CONSOLE_DATA_DIR: dataDir,
    SUPPORT_CONSOLE_PORT: '0',
    SUPPORT_CONSOLE_TOKEN: token,
    GEMINI_API_KEY: BENCH_API_KEY,
    GEMINI_BASE_URL: emulatorInfo.url,
    GEMINI_MODEL: BENCH_MODEL,
  }
  const { child: core, info: coreInfo } = await BenchChild.spawn('core', here('./core-process.ts'), env, readyInfoSchema)
  children.push(core)
  return { emulator, core, emulatorUrl: emulatorInfo.url, coreUrl: coreInfo.url, token }
}

async function measureLatency(): Promise<{ runs: LatencyRun[]; clockBefore: ClockOffset; clockAfter: ClockOffset }> {
  const { emulator, core, emulatorUrl, coreUrl, token } = await startChildren()
  progress(`emulator ${emulatorUrl} (pid ${emulator.pid}), core ${coreUrl} (pid ${core.pid})`)
  const clockBefore = await measureClockOffset(emulator)
  const targets: Record<'direct' | 'relay', LoadTarget> = { direct: directTarget(emulatorUrl), relay: relayTarget(coreUrl, token) }
  const phase = { timeLimitMs: PHASE_LIMIT_MS, clockOffsetMs: clockBefore.offsetMs, expectedChunks: REPLY_CHUNKS }

  // JIT, connection pools and SQLite's page cache warm up here, so the first measured level is not the odd one out.
  for (const kind of ['direct', 'relay'] as const) {
    progress(`warm-up: ${kind}, ${WARM_UP.concurrency} clients`)
    await runPhase(targets[kind], { ...phase, ...WARM_UP })
  }
  await sleep(SETTLE_MS)

  const runs: LatencyRun[] = []
  const clientsLoad = new LoadProbe()
  for (const level of LEVELS) {
    for (const kind of ['direct', 'relay'] as const) {
      progress(`${kind}: ${level.concurrency} concurrent client(s) × ${level.rounds} round(s), ${level.connections} connections`)
      // Every process's load and the machine's are taken over the same span: phase-start to phase-end.
      const machineBefore = machineSnapshot()
      clientsLoad.start()
      await Promise.all([emulator.request('phase-start', z.unknown()), core.request('phase-start', z.unknown())])
      const clients = await runPhase(targets[kind], { ...phase, ...level })
      await sleep(SETTLE_MS)
      const [emulatorStats, coreStats] = await Promise.all([
        emulator.request('phase-end', emulatorPhaseSchema),
        core.request('phase-end', corePhaseSchema),
      ])
      const clientsStats = clientsLoad.stop()
      const machine = machineDelta(machineBefore, machineSnapshot())
      runs.push({
        concurrency: level.concurrency,
        connections: level.connections,
        kind,
        clients,
        clientsLoad: clientsStats,
        emulator: emulatorStats,
        core: coreStats,
        machine,
      })
      const failed = clients.streams - clients.completed
      progress(
        `  ${clients.completed}/${clients.streams} streams complete${failed > 0 ? ` (${failed} failed)` : ''} in ${(clients.wallMs / 1000).toFixed(1)} s`,
      )
    }
  }
  const clockAfter = await measureClockOffset(emulator)

  // The core first: it aborts nothing (all streams ended) and closes its database; then the emulator.
  for (const child of [core, emulator]) {
    const code = await child.stop()
    if (code !== 0) progress(`${child.name} exited with code ${code}`)
  }
  return { runs, clockBefore, clockAfter }
}

async function measureStore(): Promise<StoreThroughputResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-store-'))
  tempDirs.push(dir)
  const results: StoreThroughputResult[] = []
  for (const options of STORE_RUNS) {
    progress(`store alone: ${options.drafts} drafts × ${options.chunksPerDraft} chunks, flush every ${options.flushIntervalMs} ms`)
    results.push(await runStoreThroughput(dir, options))
  }
  return results
}

/** bench/archive.ts prints its own tables; it runs as a child so that the export's peak memory is measured alone. */
function runArchiveBench(): string {
  progress('review archive: 100,000 conversations, 1,000,000 messages (bench/archive.ts)')
  const run = spawnSync(process.execPath, ['--import', 'tsx', here('./archive.ts')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  })
  if (run.status !== 0) throw new Error(`bench/archive.ts exited with ${run.status ?? run.signal}`)
  return run.stdout.trim()
}

async function main(): Promise<void> {
  const fdLimit = readFdLimit()
  // The core holds two sockets per stream (SSE in, Gemini out), plus files, pipes and slack.
  const fdWarning = fdLimitWarning(fdLimit, 2 * Math.max(...LEVELS.map((level) => level.concurrency)) + 512)
  progress(machineLine(fdLimit))
  if (fdWarning) progress(fdWarning)
  const watchdog = setTimeout(() => {
    progress(`still running after ${TOTAL_LIMIT_MS / 1000} s: stopping`)
    cleanUpNow()
    process.exit(1)
  }, TOTAL_LIMIT_MS)
  watchdog.unref()

  const comparison = await runComparison({ quick: QUICK, progress, maxStreams: MAX_STREAMS, only: ONLY, levels: ONLY_LEVELS })
  const comparisonReport = renderComparison(comparison, machineLine(fdLimit), REPLY_CHUNKS, CHUNK_INTERVAL_MS)
  if (QUICK) {
    console.log(comparisonReport)
    clearTimeout(watchdog)
    return
  }

  // Before anything is measured: a build failure should not waste the relay run, nor a build load it.
  ensureWebConsoleBuilt(progress)
  const started = performance.now()
  const loadBefore = loadAverage()
  const latency = await measureLatency()
  const store = await measureStore()
  progress('synchronous=NORMAL vs FULL')
  const syncDir = mkdtempSync(join(tmpdir(), 'sc-bench-sync-'))
  tempDirs.push(syncDir)
  const synchronous = renderSynchronousTable(runSynchronousBench(syncDir))
  const retrieval = await runRetrievalBench(progress)
  const archive = runArchiveBench()
  // Last: Chromium would otherwise compete with the relay and store measurements for the two cores.
  const renderer = await runRendererStreamBench(progress)
  const totalSeconds = (performance.now() - started) / 1000
  const loadAfter = loadAverage()

  console.log(
    renderReport({
      fdLimit,
      clockBefore: latency.clockBefore,
      clockAfter: latency.clockAfter,
      chunkCount: REPLY_CHUNKS,
      chunkIntervalMs: CHUNK_INTERVAL_MS,
      runs: latency.runs,
      store,
      totalSeconds,
      loadAverages: [loadBefore, loadAfter],
      fdWarning,
    }),
  )
  console.log(`\n${renderRendererStreamSection(renderer, 6)}`)
  console.log(`\n### 7. Durability: synchronous=NORMAL vs FULL\n\n${synchronous}`)
  console.log(`\n### 8. Knowledge-base retrieval\n\n${retrieval.markdown}`)
  console.log(`\n### 9. The review archive\n\n${archive}`)
  console.log(`\n${comparisonReport}`)
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  clearTimeout(watchdog)
}

process.once('SIGINT', () => {
  cleanUpNow()
  process.exit(130)
})

main().catch((error: unknown) => {
  console.error('bench failed:', error)
  cleanUpNow()
  process.exit(1)
})
