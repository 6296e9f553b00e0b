// What `synchronous=FULL` would cost over NORMAL, measured rather than guessed. In WAL mode NORMAL fsyncs only
// at checkpoints, so a power cut (not an application crash) can lose the last commits; FULL fsyncs the WAL at
// every commit. The store sets NORMAL (src/main/core/store/database.ts) because drafts can be re-created, but
// customer messages and sent replies cannot. Both settings run here side by side on real files in one folder,
// alternating, through the real TranscriptStore:
//   - addMessage: a customer message then an agent reply, each its own transaction (latency and throughput);
//   - the batched draft flush: 100 live drafts, one chunk each per round, then one flush() transaction;
//   - finishDraft: one transaction per draft (the outcome and any last text).
// Run alone: `node --import tsx bench/synchronous.ts [--dir <folder on the disk to measure>]`. A tmpfs folder
// makes fsync free and the comparison meaningless, so the report names the file system it ran on.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type Database from 'better-sqlite3'
import { TranscriptStore } from '../src/main/core/store/transcript-store'
import { REPLY_CHUNKS_TEXT } from './reply-script'
import { Samples, summarize, type Summary } from './stats'
import { fixed, int, ms, renderTable } from './table'

export type SynchronousMode = 'NORMAL' | 'FULL'
const MODES: readonly SynchronousMode[] = ['NORMAL', 'FULL']
// PRAGMA synchronous reads back as a number.
const PRAGMA_VALUE: Record<SynchronousMode, number> = { NORMAL: 1, FULL: 2 }

export interface SynchronousBenchOptions {
  /** Runs per mode, alternating NORMAL and FULL so drift in the machine hits both alike. */
  repetitions: number
  /** Customer message + agent reply pairs per run. */
  messagePairs: number
  conversations: number
  drafts: number
  flushRounds: number
}

export const DEFAULT_OPTIONS: SynchronousBenchOptions = { repetitions: 3, messagePairs: 500, conversations: 20, drafts: 100, flushRounds: 60 }

export interface ModeResult {
  mode: SynchronousMode
  /** One addMessage call (one transaction). */
  addMessageMs: Summary
  /** addMessage calls per second over the whole message phase. */
  addMessagesPerSecond: number
  /** One batched flush of every live draft's pending text. */
  flushMs: Summary
  finishDraftMs: Summary
}

export interface SynchronousBenchResult {
  options: SynchronousBenchOptions
  dir: string
  fileSystem: string
  modes: Record<SynchronousMode, ModeResult>
}

/** The store keeps its connection private; the bench reaches it the way bench/store-probe.ts reaches writeBatch. */
function connectionOf(store: TranscriptStore): Database.Database {
  const db = (store as unknown as { db?: Partial<Database.Database> }).db
  if (typeof db?.pragma !== 'function') throw new Error('TranscriptStore no longer has a `db` connection: update bench/synchronous.ts.')
  return db as Database.Database
}

interface RunSamples {
  addMessageMs: Samples
  addMessageCalls: number
  addMessageTotalMs: number
  flushMs: Samples
  finishDraftMs: Samples
}

function runOnce(file: string, mode: SynchronousMode, options: SynchronousBenchOptions, into: RunSamples): void {
  // durableMessages off: people's messages then take the connection's setting, which is what is compared here.
  const store = TranscriptStore.open(file, { flushIntervalMs: 250, durableMessages: false })
  try {
    const db = connectionOf(store)
    db.pragma(`synchronous = ${mode}`)
    const actual = db.pragma('synchronous', { simple: true })
    if (actual !== PRAGMA_VALUE[mode]) throw new Error(`synchronous = ${mode} did not take (reads back ${String(actual)}).`)

    const conversations = Array.from(
      { length: options.conversations },
      (_, i) => store.createConversation({ title: `Bench ${i + 1}`, source: 'bench' }).id,
    )
    const started = performance.now()
    for (let i = 0; i < options.messagePairs; i++) {
      const conversationId = conversations[i % conversations.length] as number
      for (const [role, text] of [
        ['customer', `Order ${i}: where is my parcel? It was due on Monday.`],
        ['agent', `Hello, your parcel ${i} left our warehouse yesterday and should arrive tomorrow. Best regards, Sam`],
      ] as const) {
        const before = performance.now()
        store.addMessage({ conversationId, role, text, source: 'bench' })
        into.addMessageMs.add(performance.now() - before)
        into.addMessageCalls++
      }
    }
    into.addMessageTotalMs += performance.now() - started

    // No yielding inside this loop, so the store's own flush timer never fires: every flush is one of ours.
    const drafts = Array.from({ length: options.drafts }, (_, i) => {
      const conversationId = conversations[i % conversations.length] as number
      return store.startDraft({ conversationId, source: 'bench', model: 'gemini-bench' }).id
    })
    for (let round = 0; round < options.flushRounds; round++) {
      const chunk = REPLY_CHUNKS_TEXT[round % REPLY_CHUNKS_TEXT.length] as string
      for (const id of drafts) store.appendDraftText(id, chunk)
      const before = performance.now()
      store.flush()
      into.flushMs.add(performance.now() - before)
    }
    const usage = { promptTokens: 20, outputTokens: 200, totalTokens: 220 }
    for (const id of drafts) {
      const before = performance.now()
      store.finishDraft(id, { status: 'complete', usage, firstTokenMs: 1, durationMs: 1, finishReason: 'STOP', errorKind: null, errorMessage: null })
      into.finishDraftMs.add(performance.now() - before)
    }
  } finally {
    store.close()
  }
}

/** The file system under `dir`, from /proc/mounts (longest matching mount point); 'unknown' elsewhere. */
function fileSystemOf(dir: string): string {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => fields.length >= 3 && (dir === fields[1] || dir.startsWith(`${fields[1] === '/' ? '' : fields[1]}/`)))
      .sort((a, b) => (b[1] as string).length - (a[1] as string).length)
    const [device, , type] = mounts[0] ?? []
    return type ? `${type} (${device})` : 'unknown'
  } catch {
    return 'unknown'
  }
}

export function runSynchronousBench(dir: string, options: SynchronousBenchOptions = DEFAULT_OPTIONS): SynchronousBenchResult {
  const samples = Object.fromEntries(
    MODES.map((mode) => [
      mode,
      { addMessageMs: new Samples(), addMessageCalls: 0, addMessageTotalMs: 0, flushMs: new Samples(), finishDraftMs: new Samples() },
    ]),
  ) as Record<SynchronousMode, RunSamples>
  for (let rep = 0; rep < options.repetitions; rep++) {
    // NORMAL first on even repetitions, FULL first on odd ones: neither always gets the warmer cache.
    const order = rep % 2 === 0 ? MODES : [...MODES].reverse()
    for (const mode of order) runOnce(join(dir, `synchronous-${mode.toLowerCase()}-${rep}.db`), mode, options, samples[mode])
  }
  const result = (mode: SynchronousMode): ModeResult => {
    const s = samples[mode]
    return {
      mode,
      addMessageMs: summarize(s.addMessageMs.values()),
      addMessagesPerSecond: s.addMessageCalls / (s.addMessageTotalMs / 1000),
      flushMs: summarize(s.flushMs.values()),
      finishDraftMs: summarize(s.finishDraftMs.values()),
    }
  }
  return { options, dir, fileSystem: fileSystemOf(resolve(dir)), modes: { NORMAL: result('NORMAL'), FULL: result('FULL') } }
}

export function renderSynchronousTable(result: SynchronousBenchResult): string {
  const { NORMAL: normal, FULL: full } = result.modes
  const { options } = result
  const row = (label: string, pick: (r: ModeResult) => number, format: (value: number) => string): string[] => [
    label,
    format(pick(normal)),
    format(pick(full)),
    `${fixed(pick(full) / pick(normal), 2)}×`,
  ]
  const caption =
    `synchronous=NORMAL vs FULL (WAL), TranscriptStore on ${result.fileSystem}, ${options.repetitions} alternating runs per mode: ` +
    `${options.messagePairs} customer+agent message pairs over ${options.conversations} conversations, then ${options.drafts} live drafts ` +
    `flushed together ${options.flushRounds} times and finished one by one. Times in ms.`
  const table = renderTable(
    [{ header: 'measure' }, { header: 'NORMAL', align: 'right' }, { header: 'FULL', align: 'right' }, { header: 'FULL/NORMAL', align: 'right' }],
    [
      row('addMessage p50', (r) => r.addMessageMs.p50, ms),
      row('addMessage p99', (r) => r.addMessageMs.p99, ms),
      row('addMessage max', (r) => r.addMessageMs.max, ms),
      row('addMessage calls/s', (r) => r.addMessagesPerSecond, int),
      row(`flush of ${options.drafts} drafts p50`, (r) => r.flushMs.p50, ms),
      row(`flush of ${options.drafts} drafts p99`, (r) => r.flushMs.p99, ms),
      row('finishDraft p50', (r) => r.finishDraftMs.p50, ms),
      row('finishDraft p99', (r) => r.finishDraftMs.p99, ms),
    ],
  )
  return `${caption}\n\n${table}`
}

function main(): void {
  const at = process.argv.indexOf('--dir')
  const parent = at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1] as string) : tmpdir()
  const dir = mkdtempSync(join(parent, 'support-console-synchronous-'))
  try {
    console.log(renderSynchronousTable(runSynchronousBench(dir)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
