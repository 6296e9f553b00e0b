// Turns measurements into the printed report: markdown tables, each with a caption saying what is in it.
import { cpus, release, totalmem, type } from 'node:os'
import type { ClockOffset } from './clock'
import type { FdLimit } from './fd-limit'
import type { MachineDelta } from './machine-counters'
import type { ProcessLoad } from './process-load'
import type { CorePhase, EmulatorPhase } from './messages'
import type { Connections, PathKind, PhaseResult } from './sse-load'
import { summarize, type Summary } from './stats'
import type { StoreThroughputResult } from './store-throughput'
import { fixed, int, ms, renderTable } from './table'

export interface LatencyRun {
  concurrency: number
  connections: Connections
  kind: PathKind
  clients: PhaseResult
  clientsLoad: ProcessLoad
  core: CorePhase
  emulator: EmulatorPhase
  machine: MachineDelta
}

export interface ReportInput {
  fdLimit: FdLimit | undefined
  clockBefore: ClockOffset
  clockAfter: ClockOffset
  chunkCount: number
  chunkIntervalMs: number
  runs: LatencyRun[]
  store: StoreThroughputResult[]
  totalSeconds: number
  /** 1-minute load average before and after the run. */
  loadAverages: [number, number]
  fdWarning: string | undefined
}

interface Distilled {
  run: LatencyRun
  chunk: Summary
  firstEvent: Summary
  firstText: Summary
}

const limitText = (n: number): string => (Number.isFinite(n) ? String(n) : 'unlimited')

export function machineLine(fdLimit: FdLimit | undefined): string {
  const cpuList = cpus()
  const model = cpuList[0]?.model.trim() ?? 'unknown CPU'
  const files = fdLimit
    ? `open files ${limitText(fdLimit.soft)} per process (hard limit ${limitText(fdLimit.hard)}; Node raises the soft limit to it)`
    : 'open files limit unknown'
  return `Machine: ${cpuList.length} CPUs (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${type()} ${release()}; Node ${process.version}; ${files}`
}

export function renderReport(input: ReportInput): string {
  const distilled: Distilled[] = input.runs.map((run) => ({
    run,
    chunk: summarize(run.clients.chunkLatencyMs.values()),
    firstEvent: summarize(run.clients.firstEventMs.values()),
    firstText: summarize(run.clients.firstTextMs.values()),
  }))
  const sections = [
    '# Support Console benchmarks',
    '',
    machineLine(input.fdLimit),
    ...(input.fdWarning ? [input.fdWarning] : []),
    `Clock offset emulator − bench: ${signed(input.clockBefore.offsetMs)} ms before the run, ${signed(input.clockAfter.offsetMs)} ms after ` +
      `(IPC round trip ${fixed(input.clockBefore.rttMs, 3)} ms; stamps are corrected by the first).`,
    `Total bench time ${input.totalSeconds.toFixed(0)} s. Load average (1 min) ${fixed(input.loadAverages[0], 2)} before, ${fixed(input.loadAverages[1], 2)} after` +
      ' (anything well above 0 before means other work shared the cores; see "other CPU %" in table 3).',
    '',
    latencySection(distilled, input),
    '',
    relayCostSection(distilled),
    '',
    loadSection(input.runs, input.chunkCount * input.chunkIntervalMs),
    '',
    pipelineStoreSection(input.runs),
    '',
    storeAloneSection(input.store),
  ]
  return sections.join('\n')
}

const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`

function latencySection(rows: Distilled[], input: ReportInput): string {
  const table = renderTable(
    [
      { header: 'clients', align: 'right' },
      { header: 'connections' },
      { header: 'path' },
      { header: 'streams ok', align: 'right' },
      { header: 'chunks', align: 'right' },
      { header: 'chunk p50', align: 'right' },
      { header: 'chunk p99', align: 'right' },
      { header: 'chunk max', align: 'right' },
      { header: '1st event p50', align: 'right' },
      { header: '1st event p99', align: 'right' },
      { header: '1st text p50', align: 'right' },
      { header: '1st text p99', align: 'right' },
      { header: 'peak streaming', align: 'right' },
    ],
    rows.map(({ run, chunk, firstEvent, firstText }) => [
      int(run.concurrency),
      run.connections,
      run.kind,
      `${int(run.clients.completed)}/${int(run.clients.streams)}`,
      int(chunk.count),
      ms(chunk.p50),
      ms(chunk.p99),
      ms(chunk.max),
      ms(firstEvent.p50),
      ms(firstEvent.p99),
      ms(firstText.p50),
      ms(firstText.p99),
      int(run.clients.peakStreaming),
    ]),
  )
  const failures = rows
    .filter(({ run }) => run.clients.failures.size > 0)
    .map(
      ({ run }) =>
        `- ${run.kind} at ${run.concurrency} (${run.connections}): ${[...run.clients.failures].map(([why, n]) => `${n}× ${why}`).join(', ')}`,
    )
  const leftovers = rows
    .filter(({ run }) => run.kind === 'relay' && (run.core.liveGenerations > 0 || run.core.openStreams > 0))
    .map(
      ({ run }) =>
        `- relay at ${run.concurrency} (${run.connections}): ${run.core.liveGenerations} generations and ${run.core.openStreams} SSE streams still open after the phase`,
    )
  return [
    '## 1. Latency per chunk and to the first event (ms)',
    '',
    `Every stream is its own request and its own generation: the emulator streams a support reply of ${input.chunkCount} chunks of three words,`,
    `${input.chunkIntervalMs} ms apart (the first also ${input.chunkIntervalMs} ms after the request), each stamped with its write time.`,
    '**relay**: bench clients ← SSE `GET /chat/stream?message=…` ← Support Console core (real startCore: SQLite store, Gemini SDK on',
    "its worker thread over node:http, stream hub, node:http SSE) ← emulator. **direct**: the same clients read the emulator's Gemini stream themselves (no relay),",
    'the floor the relay is compared with. Emulator, core and clients are three processes sharing 2 cores over 127.0.0.1.',
    "*chunk*: client receipt − emulator write, per text chunk (one clock, offset-corrected), so it includes the emulator's socket write",
    "and the client's read on both paths. *1st event*: request sent → first SSE event; for the relay that is `meta`, sent before Gemini",
    "is called; Gemini's own stream has no such event, so for direct it is the first chunk. *1st text*: request sent → first text chunk",
    `(includes the emulator's ${input.chunkIntervalMs} ms before its first chunk). A round starts all its requests at once, back to back;`,
    'concurrency 1 runs several rounds one after another. *peak streaming*: most streams between their first and last chunk at once.',
    "*warm*: the round's connections were opened (keep-alive) just before, so first-event times are the server's, not TCP's;",
    '*cold*: every client connects at that moment, as many EventSources would, and a burst beyond a listen queue costs SYN retries',
    "(see table 3). The core's own connections to the emulator are kept alive by its Gemini thread and are cold only when none is free.",
    '',
    table,
    ...(failures.length > 0 ? ['', 'Streams that did not complete:', ...failures] : []),
    ...(leftovers.length > 0 ? ['', ...leftovers] : []),
  ].join('\n')
}

function relayCostSection(rows: Distilled[]): string {
  const body = rows.flatMap((relay) => {
    if (relay.run.kind !== 'relay') return []
    const direct = rows.find(
      (r) => r.run.kind === 'direct' && r.run.concurrency === relay.run.concurrency && r.run.connections === relay.run.connections,
    )
    if (!direct) return []
    return [
      [
        int(relay.run.concurrency),
        relay.run.connections,
        ms(relay.chunk.p50 - direct.chunk.p50),
        ms(relay.chunk.p99 - direct.chunk.p99),
        ms(relay.firstText.p50 - direct.firstText.p50),
        ms(relay.firstText.p99 - direct.firstText.p99),
      ],
    ]
  })
  return [
    '## 2. What the relay adds (relay − direct, ms)',
    '',
    'Differences of the percentiles above, not percentiles of differences; a negative value means the difference is within the noise',
    '(at 1 client a p99 is the worst of a few dozen streams). First text on the relay also pays for what happens before Gemini is called',
    '(conversation, message and draft rows written, the SDK request opened).',
    '',
    renderTable(
      [
        { header: 'clients', align: 'right' },
        { header: 'connections' },
        { header: 'chunk p50', align: 'right' },
        { header: 'chunk p99', align: 'right' },
        { header: '1st text p50', align: 'right' },
        { header: '1st text p99', align: 'right' },
      ],
      body,
    ),
  ].join('\n')
}

function loadSection(runs: LatencyRun[], replyMs: number): string {
  return [
    '## 3. Who was busy',
    '',
    "CPU time over the phase's wall time per process (100 % = one core; the machine has 2 in all); *other*: the rest of the machine",
    '(all CPUs busy minus these three), i.e. work outside the bench competing for the cores. Event-loop lateness of a 5 ms timer, in ms.',
    "*core CPU ms/stream*: the core's CPU time over the phase per generation relayed (request, SQLite writes, SDK stream, SSE out);",
    '*streams/core*: reply duration ÷ that, i.e. how many such streams one core could relay at once before falling behind (both only',
    "from 100 streams a phase up; with fewer, the process's fixed cost of timers would be charged to them).",
    'In direct phases the core is idle. *emulator streams*: most Gemini streams open at once, sampled every 20 ms. *listen overflows*,',
    '*SYN retries* (Linux, machine-wide): connections a full listen queue dropped and connects retried, each costing the client ≥ 1 s.',
    '',
    renderTable(
      [
        { header: 'clients', align: 'right' },
        { header: 'connections' },
        { header: 'path' },
        { header: 'wall s', align: 'right' },
        { header: 'emulator CPU %', align: 'right' },
        { header: 'core CPU %', align: 'right' },
        { header: 'clients CPU %', align: 'right' },
        { header: 'other CPU %', align: 'right' },
        { header: 'core CPU ms/stream', align: 'right' },
        { header: 'streams/core', align: 'right' },
        { header: 'core loop p99', align: 'right' },
        { header: 'core loop max', align: 'right' },
        { header: 'clients loop p99', align: 'right' },
        { header: 'emulator streams', align: 'right' },
        { header: 'listen overflows', align: 'right' },
        { header: 'SYN retries', align: 'right' },
        { header: 'core RSS MB', align: 'right' },
      ],
      runs.map((run) => {
        const ours = run.emulator.load.cpuPercent + run.core.load.cpuPercent + run.clientsLoad.cpuPercent
        // With a few streams the process's fixed cost (timers, the probe's own) would be charged to them.
        const costed = run.kind === 'relay' && run.clients.streams >= 100
        return [
          int(run.concurrency),
          run.connections,
          run.kind,
          fixed(run.clients.wallMs / 1000, 1),
          int(run.emulator.load.cpuPercent),
          int(run.core.load.cpuPercent),
          int(run.clientsLoad.cpuPercent),
          int(Math.max(0, run.machine.busyPercent - ours)),
          costed ? ms(run.core.load.cpuMs / run.clients.streams) : '–',
          costed ? int(replyMs / (run.core.load.cpuMs / run.clients.streams)) : '–',
          ms(run.core.load.loopDelayP99Ms),
          ms(run.core.load.loopDelayMaxMs),
          ms(run.clientsLoad.loopDelayP99Ms),
          int(run.emulator.peakOpenStreams),
          run.machine.tcp ? int(run.machine.tcp.listenOverflows) : '–',
          run.machine.tcp ? int(run.machine.tcp.synRetrans) : '–',
          int(run.core.load.rssMb),
        ]
      }),
    ),
  ].join('\n')
}

function pipelineStoreSection(runs: LatencyRun[]): string {
  const relayRuns = runs.filter((run) => run.kind === 'relay')
  return [
    '## 4. Transcript store inside the relay (measured in the core process)',
    '',
    'Every streamed chunk is an appendDraftText (buffered in memory); a timer (150 ms) writes all pending drafts in one transaction',
    "(*flushes*, timed around the store's batch write); finishDraft writes the rest and the outcome. *appends/s* over the span from",
    'the first append to the last finishDraft. Times in ms.',
    '',
    renderTable(
      [
        { header: 'clients', align: 'right' },
        { header: 'connections' },
        { header: 'drafts', align: 'right' },
        { header: 'chunk appends', align: 'right' },
        { header: 'appends/s', align: 'right' },
        { header: 'text KB', align: 'right' },
        { header: 'flushes', align: 'right' },
        { header: 'text writes', align: 'right' },
        { header: 'drafts/flush', align: 'right' },
        { header: 'flush p50', align: 'right' },
        { header: 'flush p99', align: 'right' },
        { header: 'flush max', align: 'right' },
        { header: 'finishDraft p50', align: 'right' },
        { header: 'finishDraft p99', align: 'right' },
      ],
      relayRuns.map(({ concurrency, connections, core: { store } }) => [
        int(concurrency),
        connections,
        int(store.finishMs.count),
        int(store.appends),
        int(store.appends / (store.activeMs / 1000)),
        fixed(store.appendBytes / 1024, 0),
        int(store.flushes),
        int(store.textWrites),
        fixed(store.flushDrafts.mean, 1),
        ms(store.flushMs.p50),
        ms(store.flushMs.p99),
        ms(store.flushMs.max),
        ms(store.finishMs.p50),
        ms(store.finishMs.p99),
      ]),
    ),
  ].join('\n')
}

function storeAloneSection(results: StoreThroughputResult[]): string {
  const first = results[0]
  const perDraft = first ? first.appendBytes / first.options.drafts : 0
  const shape = first ? `${first.options.drafts} drafts × ${first.options.chunksPerDraft} chunks` : ''
  return [
    '## 5. Transcript store alone',
    '',
    `${shape} of reply text (${fixed(perDraft / 1024, 0)} KB, about ${int(Math.round(perDraft / 4 / 1000) * 1000)} tokens, per draft: a maximum-length reply), appended round-robin as fast as`,
    'one process can, yielding to the event loop after each round so the flush timer runs as it would in the app. Real SQLite file',
    "(WAL, synchronous=NORMAL) in a temp folder. 150 ms is the store's default flush interval; 16 ms and 1 ms (the minimum it",
    'accepts) show what more frequent flushing costs. When all appends take less than one interval no timer flush happens at all and',
    'finishDraft writes each draft whole (flushes 0). *total*: first append to the last finishDraft returned. Times in ms.',
    '',
    renderTable(
      [
        { header: 'flush every', align: 'right' },
        { header: 'appends', align: 'right' },
        { header: 'appends/s', align: 'right' },
        { header: 'text MB', align: 'right' },
        { header: 'MB/s', align: 'right' },
        { header: 'flushes', align: 'right' },
        { header: 'text writes', align: 'right' },
        { header: 'flush p50', align: 'right' },
        { header: 'flush p99', align: 'right' },
        { header: 'finish all', align: 'right' },
        { header: 'total', align: 'right' },
        { header: 'file MB', align: 'right' },
        { header: 'read back', align: 'right' },
      ],
      results.map((r) => [
        `${r.options.flushIntervalMs} ms`,
        int(r.appends),
        int(r.appends / (r.totalMs / 1000)),
        fixed(r.appendBytes / 1e6, 2),
        fixed(r.appendBytes / 1e6 / (r.totalMs / 1000), 1),
        int(r.flushes),
        int(r.textWrites),
        ms(r.flushMs.p50),
        ms(r.flushMs.p99),
        ms(r.finishAllMs),
        ms(r.totalMs),
        fixed(r.fileBytes / 1e6, 1),
        r.verified ? 'ok' : 'MISMATCH',
      ]),
    ),
  ].join('\n')
}
