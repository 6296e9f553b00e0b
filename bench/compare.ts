// The side-by-side bench: Support Console (the real core, persisting every transcript), the seed's design (Flask
// on gunicorn with the gevent worker, 2 workers), a minimal relay on the same Gemini SDK with no persistence and
// a bare node:http relay with no SDK, all streaming from one emulator in the same run, level by level. Also the
// core's event-loop delay while 300 streams run and its resident memory around a 1,000-client run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { SETTINGS_FILE, type SettingsFile } from '../src/main/core/config/settings'
import { measureClockOffset } from './clock'
import { relayPhaseSchema, type RelayPhase } from './compare-messages'
import { BenchChild } from './ipc'
import { memorySampleSchema, type MemorySample } from './memory-probe'
import { readyInfoSchema } from './messages'
import { processTreeCpuMs } from './process-tree-cpu'
import { BENCH_API_KEY, BENCH_MODEL, REPLY_CHUNKS } from './reply-script'
import { plainTarget, relayTarget, runPhase, type LoadTarget, type PhaseResult } from './sse-load'
import { freePort } from '../test/helpers/free-port'

export type SystemId = 'console' | 'baseline' | 'seed' | 'minimal' | 'bare'
export const SYSTEMS: readonly SystemId[] = ['console', 'baseline', 'seed', 'minimal', 'bare']
/**
 * BENCH_BASELINE_DIR=<a checkout of an earlier commit, with this bench/ copied in and node_modules linked>: its core
 * runs too, as "before", in the same run as the current one (before/after under the same load on the machine).
 */
const BASELINE_DIR = process.env.BENCH_BASELINE_DIR
export const SYSTEM_LABELS: Record<SystemId, string> = {
  console: 'Support Console',
  baseline: 'Support Console before',
  seed: 'gunicorn+gevent ×2',
  minimal: 'minimal SDK relay',
  bare: 'bare node:http relay (no SDK)',
}

export const COMPARE_LEVELS = [1, 10, 30, 100, 300, 1_000] as const
/** Rounds per level; the small levels need several for a p99 worth printing. */
const ROUNDS: Record<'full' | 'quick', Record<(typeof COMPARE_LEVELS)[number], number>> = {
  full: { 1: 20, 10: 6, 30: 3, 100: 3, 300: 2, 1_000: 2 },
  quick: { 1: 6, 10: 2, 30: 1, 100: 1, 300: 1, 1_000: 1 },
}
const PHASE_LIMIT_MS = 45_000
const SETTLE_MS = 300
/** The issue's memory goal: RSS one minute after a 1,000-client run, against the warm baseline before it. */
const AFTER_RUN_WAIT_MS = 60_000
const GUNICORN_WORKERS = 2
// Debian's python3-flask, gunicorn and python3-gevent install for the system Python; a python3 earlier in PATH
// (pyenv, a virtualenv) would not see them.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

export interface CompareRow {
  concurrency: number
  system: SystemId
  clients: PhaseResult
  /** The relay process's own load over the phase (for gunicorn, its processes' CPU from /proc, and no loop delay). */
  load: RelayPhase['load'] | undefined
}

export interface CompareResult {
  rows: CompareRow[]
  /** Why a system could not run, by system; it then has no rows. */
  unavailable: Partial<Record<SystemId, string>>
  /** The core's RSS: warm baseline before its 1,000-client run, peak during it, and AFTER_RUN_WAIT_MS after. */
  coreMemory: { before: MemorySample; during: MemorySample; after: MemorySample } | undefined
  afterWaitMs: number
  quick: boolean
  /** 1-minute load average before and after: anything well above 0 before means other work shared the cores. */
  loadAverages: [number, number]
}

interface Running {
  target: LoadTarget
  /** Our own children answer phase commands; gunicorn does not. */
  child: BenchChild | undefined
  /** gunicorn's master: its CPU, and its workers', is read from /proc instead. */
  pid?: number
  stop(): Promise<void>
}

/** The CPU of a process tree over a phase, as a phase load: /proc shows no event loop, so those figures are NaN. */
function treeLoad(pid: number, cpuBeforeMs: number, wallStartMs: number): RelayPhase['load'] {
  const cpuMs = processTreeCpuMs(pid) - cpuBeforeMs
  const wallMs = performance.now() - wallStartMs
  return { cpuMs, cpuPercent: (cpuMs / wallMs) * 100, loopDelayP50Ms: NaN, loopDelayP99Ms: NaN, loopDelayMaxMs: NaN, rssMb: NaN }
}

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url))

export interface CompareOptions {
  quick: boolean
  progress: (message: string) => void
  maxStreams: number
  /** For working on one system: only these run (default all), only at these levels (default COMPARE_LEVELS). */
  only?: readonly SystemId[]
  levels?: readonly number[]
}

export async function runComparison(options: CompareOptions): Promise<CompareResult> {
  const { progress } = options
  const cleanups: (() => Promise<void>)[] = []
  const loadBefore = loadavg()[0] ?? Number.NaN
  const unavailable: Partial<Record<SystemId, string>> = {}
  try {
    const { child: emulator, info } = await BenchChild.spawn('emulator', here('./emulator-process.ts'), process.env, readyInfoSchema)
    cleanups.push(async () => void (await emulator.stop()))
    const gemini = { GEMINI_API_KEY: BENCH_API_KEY, GEMINI_BASE_URL: info.url, GEMINI_MODEL: BENCH_MODEL }

    const wanted = (id: SystemId): boolean => !options.only || options.only.includes(id)
    const systems = new Map<SystemId, Running>()
    // BENCH_CORE_FLAGS: Node flags for the current core only (an experiment against the baseline's defaults).
    const flags = process.env.BENCH_CORE_FLAGS?.split(' ').filter(Boolean) ?? []
    systems.set('console', await startConsole(here('./core-process.ts'), gemini, options.maxStreams, cleanups, flags))
    if (BASELINE_DIR && wanted('baseline')) {
      systems.set('baseline', await startConsole(join(BASELINE_DIR, 'bench', 'core-process.ts'), gemini, options.maxStreams, cleanups, []))
    }
    const seed = wanted('seed') ? await startSeed(gemini, progress) : 'not selected (--only)'
    if (typeof seed === 'string') unavailable.seed = seed
    else {
      systems.set('seed', seed)
      cleanups.push(() => seed.stop())
    }
    for (const [id, mode] of [
      ['minimal', 'sdk'],
      ['bare', 'bare'],
    ] as const) {
      if (!wanted(id)) continue
      const { child, info: relay } = await BenchChild.spawn(
        id,
        here('./minimal-relay.ts'),
        { ...process.env, ...gemini, RELAY_MODE: mode },
        readyInfoSchema,
      )
      systems.set(id, childSystem(child, plainTarget(relay.url)))
      cleanups.push(async () => void (await child.stop()))
    }

    const clock = await measureClockOffset(emulator)
    const phase = { timeLimitMs: PHASE_LIMIT_MS, clockOffsetMs: clock.offsetMs, expectedChunks: REPLY_CHUNKS, connections: 'warm' as const }
    for (const [id, system] of systems) {
      progress(`compare warm-up: ${SYSTEM_LABELS[id]}, 50 clients`)
      await runPhase(system.target, { ...phase, concurrency: 50, rounds: 1 })
    }
    await sleep(SETTLE_MS)

    const rows: CompareRow[] = []
    let coreMemory: CompareResult['coreMemory']
    const rounds = ROUNDS[options.quick ? 'quick' : 'full']
    // Support Console last at each level, so its 1,000-client run is the last thing before the one-minute wait.
    const order = (['seed', 'minimal', 'bare', 'baseline', 'console'] as const).filter((id) => systems.has(id) && wanted(id))
    for (const concurrency of COMPARE_LEVELS.filter((level) => !options.levels || options.levels.includes(level))) {
      for (const id of order) {
        const system = systems.get(id) as Running
        const measureMemory = id === 'console' && concurrency === 1_000
        const before = measureMemory ? await system.child?.request('memory', memorySampleSchema) : undefined
        progress(`compare: ${SYSTEM_LABELS[id]}, ${concurrency} client(s) × ${rounds[concurrency]} round(s)`)
        await system.child?.request('phase-start', z.unknown())
        const [treeCpuBefore, wallStart] = [system.pid ? processTreeCpuMs(system.pid) : NaN, performance.now()]
        const clients = await runPhase(system.target, { ...phase, concurrency, rounds: rounds[concurrency] })
        await sleep(SETTLE_MS)
        const stats = await system.child?.request('phase-end', relayPhaseSchema)
        const load = stats?.load ?? (system.pid ? treeLoad(system.pid, treeCpuBefore, wallStart) : undefined)
        rows.push({ concurrency, system: id, clients, load })
        const failed = clients.streams - clients.completed
        progress(
          `  ${clients.completed}/${clients.streams} streams complete${failed > 0 ? ` (${[...clients.failures].map(([why, n]) => `${n}× ${why}`).join(', ')})` : ''}`,
        )
        if (measureMemory && before && system.child) {
          const during = await system.child.request('memory', memorySampleSchema)
          progress(`waiting ${AFTER_RUN_WAIT_MS / 1000} s to measure the core's memory after the 1,000-client run`)
          await sleep(AFTER_RUN_WAIT_MS)
          const after = await system.child.request('memory', memorySampleSchema)
          coreMemory = { before, during, after }
        }
      }
    }
    return {
      rows,
      unavailable,
      coreMemory,
      afterWaitMs: AFTER_RUN_WAIT_MS,
      quick: options.quick,
      loadAverages: [loadBefore, loadavg()[0] ?? Number.NaN],
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => progress(`cleanup failed: ${String(error)}`))
  }
}

function childSystem(child: BenchChild, target: LoadTarget): Running {
  return { target, child, stop: async () => void (await child.stop()) }
}

async function startConsole(
  entry: string,
  gemini: Record<string, string>,
  maxStreams: number,
  cleanups: (() => Promise<void>)[],
  flags: readonly string[],
): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sc-bench-compare-'))
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }))
  // BENCH_GEMINI_THREADS: settings.json's geminiThreads for the current core (default: the machine's default).
  const threads = process.env.BENCH_GEMINI_THREADS
  const settings: SettingsFile = { maxConcurrentStreams: maxStreams, ...(threads ? { geminiThreads: Number(threads) } : {}) }
  writeFileSync(join(dataDir, SETTINGS_FILE), JSON.stringify(settings))
  const token = randomBytes(24).toString('base64url')
  const env = { ...process.env, ...gemini, SUPPORT_CONSOLE_DATA_DIR: dataDir, SUPPORT_CONSOLE_PORT: '0', SUPPORT_CONSOLE_TOKEN: token }
  // --expose-gc: the memory report can tell garbage not yet collected from memory really held.
  const { child, info } = await BenchChild.spawn('core', entry, env, readyInfoSchema, 30_000, ['--expose-gc', ...flags])
  cleanups.push(async () => void (await child.stop()))
  return childSystem(child, relayTarget(info.url, token))
}

/** Starts gunicorn on the seed's Flask app, or says why it cannot run here. */
async function startSeed(gemini: Record<string, string>, progress: (message: string) => void): Promise<Running | string> {
  const versions = 'import flask, gevent, gunicorn; from importlib.metadata import version as v; print(v("flask"), v("gevent"), v("gunicorn"))'
  const check = spawnSync(PYTHON, ['-c', versions], { encoding: 'utf8' })
  if (check.error || check.status !== 0) {
    return `python3 with flask, gevent and gunicorn is not installed (apt-get install -y python3-flask gunicorn python3-gevent): ${(check.error?.message ?? check.stderr).trim().split('\n').at(-1) ?? ''}`
  }
  const [flask, gevent, gunicorn] = check.stdout.trim().split(' ')
  progress(`seed: Flask ${flask}, gevent ${gevent}, gunicorn ${gunicorn}`)
  const port = await freePort()
  const proc: ChildProcess = spawn(
    PYTHON,
    [
      '-m',
      'gunicorn',
      '--worker-class',
      'gevent',
      '--workers',
      String(GUNICORN_WORKERS),
      // Each worker must hold every stream it is given; gevent's default is 1,000 connections a worker.
      '--worker-connections',
      '4000',
      '--backlog',
      '2048',
      '--keep-alive',
      '30',
      '--bind',
      `127.0.0.1:${port}`,
      '--chdir',
      here('./seed'),
      'app:app',
    ],
    { env: { ...process.env, ...gemini }, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  proc.stderr?.setEncoding('utf8')
  proc.stderr?.on('data', (text: string) => (log = (log + text).slice(-4_000)))
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
  const url = `http://127.0.0.1:${port}`
  for (const startedAt = Date.now(); Date.now() - startedAt < 20_000;) {
    if (proc.exitCode !== null) return `gunicorn exited with code ${proc.exitCode}: ${log.trim().split('\n').slice(-3).join(' | ')}`
    const ok = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    )
    if (ok) {
      // Every worker up, not only the first one that answered.
      await sleep(1_000)
      return { target: plainTarget(url), child: undefined, pid: proc.pid, stop }
    }
    await sleep(200)
  }
  await stop()
  return `gunicorn did not answer within 20 s: ${log.trim().split('\n').slice(-3).join(' | ')}`
}
