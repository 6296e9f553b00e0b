// The side-by-side table (bench/compare.ts) as markdown: per level and system, time to first text p50 and chunk
// latency p99, the ratio Support Console ÷ gunicorn for both, then the core's event-loop delay and memory.
// First TEXT, not first event: Support Console sends a `meta` event before it calls Gemini, while the other systems'
// first `data:` line is already a text chunk, so comparing first events would credit the console with a head start
// no customer sees. Its first-event time is kept in a column of its own, labelled, for the record.
import type { CompareResult, CompareRow, SystemId } from './compare'
import { SYSTEM_LABELS, SYSTEMS, COMPARE_LEVELS } from './compare'
import { summarize } from './stats'
import { fixed, ms, renderTable } from './table'

/** The level whose event-loop delay the goal names. */
const LOOP_DELAY_LEVEL = 300

interface Figures {
  firstTextP50: number
  /** Only Support Console's is printed (its `meta` event); the others' first event is their first text. */
  firstEventP50: number
  chunkP99: number
  ok: string
}

function figures(row: CompareRow): Figures {
  const failed = row.clients.streams - row.clients.completed
  return {
    firstTextP50: summarize(row.clients.firstTextMs.values()).p50,
    firstEventP50: summarize(row.clients.firstEventMs.values()).p50,
    chunkP99: summarize(row.clients.chunkLatencyMs.values()).p99,
    ok: failed === 0 ? '' : ` (${failed} of ${row.clients.streams} failed)`,
  }
}

const signedMb = (value: number): string => `${value >= 0 ? '+' : ''}${fixed(value, 0)} MB`
const pair = (f: Figures | undefined): string => (f ? `${ms(f.firstTextP50)} / ${ms(f.chunkP99)}${f.ok}` : 'unavailable')
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? fixed(a / b, 2) : '–')

export function renderComparison(result: CompareResult, machine: string, chunks: number, intervalMs: number): string {
  const find = (concurrency: number, system: SystemId): Figures | undefined => {
    const row = result.rows.find((r) => r.concurrency === concurrency && r.system === system)
    return row && figures(row)
  }
  // A system that neither ran nor was meant to (the baseline without BENCH_BASELINE_DIR) gets no column.
  const shown = SYSTEMS.filter((id) => result.rows.some((r) => r.system === id) || id in result.unavailable)
  const table = renderTable(
    [
      { header: 'clients', align: 'right' },
      ...shown.map((id) => ({ header: SYSTEM_LABELS[id], align: 'right' as const })),
      { header: 'SC 1st event (meta) p50', align: 'right' },
      { header: 'SC ÷ gunicorn, 1st text', align: 'right' },
      { header: 'SC ÷ gunicorn, chunk p99', align: 'right' },
    ],
    COMPARE_LEVELS.filter((level) => result.rows.some((r) => r.concurrency === level)).map((concurrency) => {
      const console = find(concurrency, 'console')
      const seed = find(concurrency, 'seed')
      return [
        String(concurrency),
        ...shown.map((id) => pair(find(concurrency, id))),
        console ? ms(console.firstEventP50) : '–',
        console && seed ? ratio(console.firstTextP50, seed.firstTextP50) : '–',
        console && seed ? ratio(console.chunkP99, seed.chunkP99) : '–',
      ]
    }),
  )
  const lines = [
    `## Side by side: Support Console, the seed's design and two bare relays${result.quick ? ' (--quick)' : ''}`,
    '',
    machine,
    '',
    'Each system column: time to first text p50 / chunk latency p99, ms. First text: request sent → the first `data:` line carrying ' +
      "a reply chunk (the same point for every system; Support Console's earlier `meta` event is not counted there, and is shown " +
      'alone, as time to first event p50, in the column "SC 1st event (meta) p50"). Chunk latency: each chunk\'s arrival at the client ' +
      "minus the emulator's timestamp in it. The ratios are Support Console's figure ÷ gunicorn's, below 1 is faster. " +
      `One emulator, ${chunks} chunks ${intervalMs} ms apart, warm keep-alive ` +
      `connections, all systems in the same run, one after the other at each level. Support Console is \`npm run serve\`'s core, saving ` +
      "every transcript; gunicorn+gevent ×2 is the seed's Flask design (bench/seed/app.py, calling the REST stream with urllib: " +
      "Google's Python SDK is not packaged in Debian); the minimal SDK relay streams through the same `@google/generative-ai` with no " +
      'store; the bare relay reads the emulator with node:http and no SDK.',
    `Load average (1 min) ${fixed(result.loadAverages[0], 2)} before, ${fixed(result.loadAverages[1], 2)} after: well above 0 means other work shared the two cores, and latencies with it.`,
    '',
    table,
    '',
    "CPU time of each relay per stream, ms (user + system over the phase ÷ streams, every thread; gunicorn's master and workers read from /proc; steadier than latency when other work shares the cores):",
    '',
    cpuTable(result, shown),
  ]
  for (const [id, reason] of Object.entries(result.unavailable)) lines.push('', `${SYSTEM_LABELS[id as SystemId]}: unavailable: ${reason}`)

  const loopRows = result.rows.filter((r) => r.concurrency === LOOP_DELAY_LEVEL && Number.isFinite(r.load?.loopDelayP99Ms))
  if (loopRows.length > 0) {
    lines.push(
      '',
      `Event-loop delay while ${LOOP_DELAY_LEVEL} streams run (perf_hooks.monitorEventLoopDelay in the process, lateness beyond a 5 ms timer), CPU over the phase:`,
      ...loopRows.map(
        (r) =>
          `- ${SYSTEM_LABELS[r.system]}: p99 ${ms(r.load?.loopDelayP99Ms ?? Number.NaN)} ms, max ${ms(r.load?.loopDelayMaxMs ?? Number.NaN)} ms, CPU ${fixed(r.load?.cpuPercent ?? Number.NaN, 0)} %`,
      ),
    )
  }
  const memory = result.coreMemory
  if (memory) {
    const { before, during, after } = memory
    const growth = after.rssMb - before.rssAfterGcMb
    const held = after.rssAfterGcMb - before.rssAfterGcMb
    lines.push(
      '',
      `Support Console's resident memory around its 1,000-client run: warm baseline ${fixed(before.rssAfterGcMb, 0)} MB (after a full GC), ` +
        `peak ${fixed(during.peakRssMb, 0)} MB, ${result.afterWaitMs / 1000} s after ${fixed(after.rssMb, 0)} MB (${signedMb(growth)}), ` +
        `and ${fixed(after.rssAfterGcMb, 0)} MB after a full GC (${signedMb(held)}; heap ${fixed(before.heapAfterGcMb, 0)} → ${fixed(after.heapAfterGcMb, 0)} MB).`,
    )
  }
  return lines.join('\n')
}

function cpuTable(result: CompareResult, systems: readonly SystemId[]): string {
  return renderTable(
    [{ header: 'clients', align: 'right' }, ...systems.map((id) => ({ header: SYSTEM_LABELS[id], align: 'right' as const }))],
    COMPARE_LEVELS.filter((level) => result.rows.some((r) => r.concurrency === level)).map((concurrency) => [
      String(concurrency),
      ...systems.map((id) => {
        const row = result.rows.find((r) => r.concurrency === concurrency && r.system === id)
        return row?.load && row.clients.streams > 0 ? fixed(row.load.cpuMs / row.clients.streams, 2) : '–'
      }),
    ]),
  )
}
